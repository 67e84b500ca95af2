import { createContext, useContext } from "react";

// The CSP nonce of the current request, set by entry.server.tsx; empty in the browser (the
// scripts are already trusted once they run, and React leaves nonce attributes alone).
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
