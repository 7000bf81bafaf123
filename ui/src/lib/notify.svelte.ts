// Toasts: the short messages at the bottom of the window. `showError` turns any failure into a
// sentence in the user's language; `toastUndo` is the "done — Undo" message every reversible act
// shows.
import { t } from "../i18n/index.svelte";
import { errorText } from "./errors";

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "error";
  action?: { label: string; run: () => void | Promise<void> };
}

/** The toasts on screen, the newest last (at most four). */
export const toasts = $state<Toast[]>([]);

let nextToast = 1;

export function toast(text: string, kind: Toast["kind"] = "info", action?: Toast["action"], ms = 6000) {
  const id = nextToast++;
  if (toasts.length > 3) toasts.splice(0, toasts.length - 3);
  toasts.push({ id, text, kind, action });
  // Errors and toasts offering Undo stay longer: there is something to read or to act on.
  setTimeout(() => dismiss(id), kind === "error" || action ? ms * 2 : ms);
}

export function dismiss(id: number) {
  const at = toasts.findIndex((item) => item.id === id);
  if (at >= 0) toasts.splice(at, 1);
}

/** An error toast saying what went wrong (a core error by its code, anything else generically). */
export function showError(e: unknown) {
  toast(errorText(e), "error");
}

/**
 * Says `text` with an Undo button that runs `undo`; what `undo` returns (if anything) is said
 * next ("Merge undone"), and a failed undo says why. `ms` is how long the toast stays (doubled,
 * as for every toast with a button).
 */
export function toastUndo(text: string, undo: () => Promise<string | null | void>, ms?: number) {
  toast(
    text,
    "info",
    {
      label: t("common.undo"),
      run: async () => {
        try {
          const said = await undo();
          if (said) toast(said);
        } catch (e) {
          showError(e);
        }
      },
    },
    ms,
  );
}
