// Turns a structured `{ code, message, field, params }` error from the core into a sentence in the
// current language. Anything else (a JS exception, a Tauri framework string) gets a generic line.
import { hasKey, t } from "../i18n/index.svelte";
import type { Error as CoreError } from "../ipc/bindings";

export function isCoreError(e: unknown): e is CoreError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export function errorText(e: unknown): string {
  if (!isCoreError(e)) {
    return t("error.unknown", { message: e instanceof Error ? e.message : String(e) });
  }
  const fieldKey = `field.${e.field ?? ""}`;
  const field = hasKey(fieldKey) ? t(fieldKey) : (e.field ?? "");
  const key = `error.${e.code}`;
  const params = { ...(e.params ?? {}), field, message: e.message };
  return hasKey(key) ? t(key, params) : t("error.unknown", params);
}
