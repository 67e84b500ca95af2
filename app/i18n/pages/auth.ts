import type { Locale } from "../locale.ts";
import { definePageMessages, pageTranslator } from "../translate.ts";

/**
 * Strings of the sign-in page and of the account page, and the refusals of the accounts'
 * rules (`UserError` codes, analytics/auth/users.server.ts), shared with the users page.
 */
export const authMessages = definePageMessages({
  en: {
    "login.title": "Sign in",
    "login.noAccount": "No account exists yet. Stop the server and create one with {command}.",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.busy": "Signing in…",
    "login.invalid": "Unknown username or wrong password.",
    "login.throttled.second": "Too many failed attempts. Try again in 1 second.",
    "login.throttled.minute": "Too many failed attempts. Try again in 1 minute.",
    "login.throttled.seconds": "Too many failed attempts. Try again in {n} seconds.",
    "login.throttled.minutes": "Too many failed attempts. Try again in {n} minutes.",
    "account.title": "Your account",
    "account.org": "organization {org}",
    "account.allOrgs": "every organization",
    "account.change": "Change your password",
    "account.current": "Current password",
    "account.new": "New password",
    "account.rule": "({min} to {max} characters)",
    "account.again": "New password again",
    "account.submit": "Change password",
    "account.differ": "The two new passwords differ.",
    "account.changed": "Password changed. Every other session of this account has been signed out.",
    "error.usernameRule": "A username has 3 to 64 characters: lowercase letters, digits and . _ @ + - (starting with a letter or digit).",
    "error.unknownRole": "Unknown role “{role}”.",
    "error.adminNoOrg": "An administrator sees every organization: choose no organization.",
    "error.orgRequired": "This role belongs to an organization: choose one.",
    "error.badOrgId": "“{org}” is not an organization identifier (1 to 64 letters, digits or _ . : - starting with a letter or digit).",
    "error.unknownOrg": "Unknown organization “{org}”: import a program it takes part in first.",
    "error.usernameTaken": "The username “{username}” is already taken.",
    "error.noSuchUser": "No user named “{username}”.",
    "error.cannotChange": "This account cannot change its password.",
    "error.tooManyWrong": "Too many wrong passwords. Try again in {seconds} s.",
    "error.wrongCurrent": "The current password is not correct.",
    "error.sameAsCurrent": "The new password must differ from the current one.",
    "error.disableSelf": "You cannot disable your own account.",
    "error.passwordTooShort": "The password must have at least {min} characters.",
    "error.passwordTooLong": "The password must have at most {max} characters.",
    "error.passwordBlank": "The password cannot be only spaces.",
  },
  fr: {
    "login.title": "Connexion",
    "login.noAccount": "Aucun compte n'existe encore. Arrêtez le serveur et créez-en un avec {command}.",
    "login.username": "Identifiant",
    "login.password": "Mot de passe",
    "login.submit": "Se connecter",
    "login.busy": "Connexion…",
    "login.invalid": "Identifiant inconnu ou mot de passe erroné.",
    "login.throttled.second": "Trop de tentatives échouées. Réessayez dans 1 seconde.",
    "login.throttled.minute": "Trop de tentatives échouées. Réessayez dans 1 minute.",
    "login.throttled.seconds": "Trop de tentatives échouées. Réessayez dans {n} secondes.",
    "login.throttled.minutes": "Trop de tentatives échouées. Réessayez dans {n} minutes.",
    "account.title": "Votre compte",
    "account.org": "organisation {org}",
    "account.allOrgs": "toutes les organisations",
    "account.change": "Changer de mot de passe",
    "account.current": "Mot de passe actuel",
    "account.new": "Nouveau mot de passe",
    "account.rule": "(de {min} à {max} caractères)",
    "account.again": "Confirmez le nouveau mot de passe",
    "account.submit": "Changer le mot de passe",
    "account.differ": "Les deux nouveaux mots de passe ne sont pas identiques.",
    "account.changed": "Mot de passe changé. Toutes les autres sessions de ce compte ont été fermées.",
    "error.usernameRule": "Un identifiant compte de 3 à 64 caractères : lettres minuscules, chiffres et . _ @ + - (en commençant par une lettre ou un chiffre).",
    "error.unknownRole": "Rôle inconnu « {role} ».",
    "error.adminNoOrg": "Un administrateur voit toutes les organisations : ne choisissez aucune organisation.",
    "error.orgRequired": "Ce rôle appartient à une organisation : choisissez-la.",
    "error.badOrgId": "« {org} » n'est pas un identifiant d'organisation (1 à 64 lettres, chiffres ou _ . : -, en commençant par une lettre ou un chiffre).",
    "error.unknownOrg": "Organisation inconnue « {org} » : importez d'abord un programme auquel elle participe.",
    "error.usernameTaken": "L'identifiant « {username} » est déjà pris.",
    "error.noSuchUser": "Aucun utilisateur ne s'appelle « {username} ».",
    "error.cannotChange": "Ce compte ne peut pas changer son mot de passe.",
    "error.tooManyWrong": "Trop de mots de passe erronés. Réessayez dans {seconds} s.",
    "error.wrongCurrent": "Le mot de passe actuel n'est pas le bon.",
    "error.sameAsCurrent": "Le nouveau mot de passe doit être différent de l'actuel.",
    "error.disableSelf": "Vous ne pouvez pas désactiver votre propre compte.",
    "error.passwordTooShort": "Le mot de passe doit compter au moins {min} caractères.",
    "error.passwordTooLong": "Le mot de passe doit compter au plus {max} caractères.",
    "error.passwordBlank": "Le mot de passe ne peut pas être fait que d'espaces.",
  },
});

/** A `UserError` in the reader's language: its code's message, else its (English) message. */
export function userErrorText(locale: Locale, error: { code: string | null; vars: Record<string, string | number>; message: string }): string {
  const key = `error.${error.code}` as keyof (typeof authMessages)["en"];
  return error.code && key in authMessages.en ? pageTranslator(authMessages, locale)(key, error.vars) : error.message;
}

/** How long to wait before signing in again, in whole seconds under a minute, else minutes. */
export function throttledText(locale: Locale, seconds: number): string {
  const t = pageTranslator(authMessages, locale);
  if (seconds < 60) return seconds === 1 ? t("login.throttled.second") : t("login.throttled.seconds", { n: seconds });
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? t("login.throttled.minute") : t("login.throttled.minutes", { n: minutes });
}
