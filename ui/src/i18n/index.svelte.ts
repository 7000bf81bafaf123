// The UI's two languages. `i18n.locale` is reactive; t() reads it, so markup re-renders on switch.
import { en, type MessageKey } from "./en";
import { zhCN } from "./zh-CN";

export type Locale = "zh-CN" | "en";
export const LOCALES: Locale[] = ["zh-CN", "en"];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

/** zh-* system languages get Chinese; everything else English. */
export function systemLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  return languages.some((l) => l.toLowerCase().startsWith("zh")) ? "zh-CN" : "en";
}

export const i18n = $state<{ locale: Locale }>({ locale: "en" });

export function setLocale(locale: Locale) {
  i18n.locale = locale;
  document.documentElement.lang = locale;
}

export type Params = Record<string, string | number | undefined | null>;

export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return "";
    return typeof value === "number" ? new Intl.NumberFormat(i18n.locale).format(value) : value;
  });
}

export function t(key: MessageKey, params?: Params): string {
  return format(catalogues[i18n.locale][key] ?? en[key], params);
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.locale, withTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { dateStyle: "medium" }).format(d);
}
