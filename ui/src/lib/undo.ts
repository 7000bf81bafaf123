// The toast after a write that can be taken back: what was done, and an Undo button. The undo
// says what it took back (or nothing), and a failed undo says why.
import { toast } from "./app.svelte";
import { errorText } from "./errors";
import { t } from "../i18n/index.svelte";

export function toastUndo(text: string, undo: () => Promise<string | null | void>, ms?: number) {
  toast(text, "info", {
    label: t("toast.undo"),
    run: async () => {
      try {
        const said = await undo();
        if (said) toast(said);
      } catch (e) {
        toast(errorText(e), "error");
      }
    },
  }, ms);
}
