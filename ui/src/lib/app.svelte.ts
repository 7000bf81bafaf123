// App-wide reactive state: which board is showing, preferences, requests between boards.
import { setLocale, systemLocale, type Locale } from "../i18n/index.svelte";
import { backend, type AppStatus, type Settings, type Theme } from "../ipc/backend";
import { showError } from "./notify.svelte";

export type Board = "today" | "members" | "events" | "content" | "campaigns" | "dashboards" | "settings";

export const app = $state<{
  board: Board;
  status: AppStatus | null;
  settings: Settings;
  paletteOpen: boolean;
  /** A request for the members board from elsewhere (the palette); `seq` makes repeats distinct. */
  intent: { kind: MembersIntent; seq: number; memberId?: number } | null;
  /** A request for the events board from elsewhere (the palette). */
  eventsIntent: { kind: "new" } | null;
  /** A board's dialog or the door is open: board shortcuts stay quiet. */
  modal: boolean;
  /** The event open on the Events board, kept while the manager visits other boards. */
  eventId: number | null;
  /** The campaign open on the Campaigns board (Today's tasks open it). */
  campaignId: number | null;
}>({
  board: "members",
  status: null,
  settings: { locale: null, theme: "system" },
  paletteOpen: false,
  intent: null,
  eventsIntent: null,
  modal: false,
  eventId: null,
  campaignId: null,
});

let intentSeq = 0;

export type MembersIntent = "add" | "search" | "import" | "export" | "open" | "activities";

export function requestMembers(kind: MembersIntent) {
  app.board = "members";
  app.intent = { kind, seq: ++intentSeq };
}

/** Opens one member's panel on the Members board (from Today, a leaderboard, an appeal…). */
export function openMember(memberId: number) {
  app.board = "members";
  app.intent = { kind: "open", seq: ++intentSeq, memberId };
}

/** Applies saved preferences (falling back to the system) to the document. */
export function applySettings(settings: Settings) {
  app.settings = settings;
  const locale = (settings.locale === "zh-CN" || settings.locale === "en" ? settings.locale : systemLocale()) as Locale;
  setLocale(locale);
  applyTheme(settings.theme);
}

export function applyTheme(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia?.("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

/** Saves a preference change and applies what the store answers; a failure becomes a toast. */
export async function saveSettings(patch: Parameters<typeof backend.updateSettings>[0]) {
  try {
    applySettings(await backend.updateSettings(patch));
  } catch (e) {
    showError(e);
  }
}

/** Opens a campaign on the Campaigns board (from a task on Today). */
export function openCampaign(id: number) {
  app.campaignId = id;
  app.board = "campaigns";
}
