import { Transform, type TransformCallback } from "node:stream";

/**
 * React 18's streaming renderer (`renderToPipeableStream`, 18.3.1 included) encodes HTML into
 * 2,048-byte views. When a multi-byte UTF-8 character does not fit in what is left of a view,
 * it flushes the whole view instead of the bytes it wrote, so the 1–3 unwritten bytes at its
 * end reach the page as NUL bytes (facebook/react#31134; fixed in React 19 by
 * facebook/react#26228, never released for 18). The character itself is whole at the start of
 * the next view.
 */
export const REACT_VIEW_SIZE = 2048;

/** The most bytes such a view can leave unwritten: a UTF-8 character is at most 4 bytes. */
const MAX_PADDING = 3;

/**
 * Drops that padding: from every chunk of exactly one view, the NUL bytes (at most 3) that end
 * it. Other chunks, and NUL bytes anywhere else, pass unchanged. Chunks are never held back,
 * so the page still streams.
 */
export function stripReactViewPadding(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) {
        while (end > REACT_VIEW_SIZE - MAX_PADDING && chunk[end - 1] === 0) end--;
      }
      callback(null, end === chunk.length ? chunk : chunk.subarray(0, end));
    },
  });
}
