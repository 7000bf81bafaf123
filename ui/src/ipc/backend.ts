// The single seam between the UI and IPC. Boards call `backend.*`; nothing else imports the
// generated bindings' commands. Failures are thrown as the core's structured `{ code, message,
// field, params }` error, which `errorText()` turns into a sentence in the user's language.
import {
  commands,
  events,
  type AppStatus_Serialize,
  type DeleteOutcome,
  type DemoOutcome,
  type DuplicatePair_Serialize,
  type DuplicateReport_Serialize,
  type MergeField,
  type Error_Serialize,
  type ListMembers_Deserialize,
  type MemberDraft_Deserialize,
  type MemberPage_Serialize,
  type Member_Serialize,
  type SettingsPatch_Deserialize,
  type Settings_Serialize,
} from "./bindings";

export type Member = Member_Serialize;
export type MemberPage = MemberPage_Serialize;
export type MemberDraft = MemberDraft_Deserialize;
export type ListQuery = ListMembers_Deserialize;
export type Settings = Settings_Serialize;
export type AppStatus = AppStatus_Serialize;
export type CoreError = Error_Serialize;
export type DuplicatePair = DuplicatePair_Serialize;
export type DuplicateReport = DuplicateReport_Serialize;
export type { DeleteOutcome, DemoOutcome, MergeField };
export type { DuplicateReason, Gender, TagCount, Identity, IdentityKind, MemberSort, Theme } from "./bindings";

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CoreError };

async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const outcome = await call;
  if (outcome.status === "error") throw outcome.error;
  return outcome.data;
}

export const backend = {
  status: () => unwrap(commands.appStatus()),
  listMembers: (query: ListQuery) => unwrap(commands.membersList(query)),
  getMember: (id: number) => unwrap(commands.memberGet(id)),
  createMember: (draft: MemberDraft) => unwrap(commands.memberCreate(draft)),
  updateMember: (id: number, draft: MemberDraft) => unwrap(commands.memberUpdate({ id, draft })),
  deleteMembers: (ids: number[]) => unwrap(commands.membersDelete({ ids })),
  restoreMembers: (ids: number[]) => unwrap(commands.membersRestore({ ids })),
  tagMembers: (ids: number[], add: string[], remove: string[]) => unwrap(commands.membersTag({ ids, add, remove })),
  duplicates: (limit = 200) => unwrap(commands.membersDuplicates({ limit })),
  merge: (keepId: number, mergeId: number, takeFromMerged: MergeField[]) =>
    unwrap(commands.membersMerge({ keep_id: keepId, merge_id: mergeId, take_from_merged: takeFromMerged })),
  undoMerge: (merge: number) => unwrap(commands.membersUndoMerge({ merge })),
  eraseMembers: (ids: number[]) => unwrap(commands.membersErase({ ids })),
  tags: () => unwrap(commands.tagsList()),
  renameTag: (from: string, to: string) => unwrap(commands.tagRename({ from, to })),
  deleteTag: (name: string) => unwrap(commands.tagDelete(name)),
  loadDemo: (members: number, seed: number) => unwrap(commands.demoLoad({ members, seed })),
  settings: () => unwrap(commands.settingsGet()),
  updateSettings: (patch: SettingsPatch_Deserialize) => unwrap(commands.settingsUpdate(patch)),
  /** Calls `onChange(entity)` after every write anywhere in the app; returns an unsubscribe. */
  onDataChanged: async (onChange: (entity: string) => void): Promise<() => void> =>
    events.dataChanged.listen((event) => onChange(event.payload.entity)),
};
