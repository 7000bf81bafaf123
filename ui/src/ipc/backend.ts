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
  type ImportOptions_Deserialize,
  type ImportPreview_Serialize,
  type PlannedRow_Serialize,
  type ExportMembers_Deserialize,
  type ColumnMapping,
  type MemberFilter_Deserialize,
  type Segment_Serialize,
  type SegmentChanges_Serialize,
  type SaveSegment_Deserialize,
  type RoleChange,
  type CustomFieldDraft_Deserialize,
  type DeletedField_Serialize,
  type TimelineEntry_Serialize,
  type Event_Serialize,
  type EventDraft_Deserialize,
  type EventRange_Deserialize,
  type Registration_Serialize,
  type RosterOrder,
  type Register_Deserialize,
  type RegistrationStatus,
  type CheckIn_Deserialize,
  type WalkInNew_Deserialize,
  type PasteJielong_Deserialize,
  type ImportRegistrations_Deserialize,
  type PrintRequest_Deserialize,
  type ExportAttendees_Deserialize,
  type FeedbackDraft_Deserialize,
  type LogActivities_Deserialize,
  type AdjustPoints,
  type DataChanged,
  type Window,
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
export type ImportOptions = ImportOptions_Deserialize;
export type MemberFilter = MemberFilter_Deserialize;
export type Segment = Segment_Serialize;
export type SegmentChanges = SegmentChanges_Serialize;
export type SaveSegment = SaveSegment_Deserialize;
export type CustomCondition = import("./bindings").CustomCondition_Deserialize;
export type { CustomOp, SegmentAdded } from "./bindings";
export type { RoleChange, Facets, CustomField, CustomFieldKind } from "./bindings";
export type DeletedField = DeletedField_Serialize;
export type TimelineEntry = TimelineEntry_Serialize;
export type ImportPreview = ImportPreview_Serialize;
export type PlannedRow = PlannedRow_Serialize;
export type ExportRequest = ExportMembers_Deserialize;
export type {
  ColumnMapping, SavedPreset, DuplicatePolicy, ExportColumn, ExportFormat, ExportScope, CsvEncoding, ImportBatch, RowAction, TaskProgress,
} from "./bindings";
export type { DuplicateReason, Gender, TagCount, Identity, IdentityKind, MemberSort, Theme } from "./bindings";

export type EventInfo = Event_Serialize;
export type EventDraft = EventDraft_Deserialize;
export type Registration = Registration_Serialize;
export type DoorSearch = import("./bindings").DoorSearch_Serialize;
export type JielongPlan = import("./bindings").JielongPlan_Serialize;
export type RegistrationImport = import("./bindings").RegistrationImport_Serialize;
export type EventOutcome = import("./bindings").EventOutcome_Serialize;
export type Feedback = import("./bindings").Feedback_Serialize;
export type ActivityKind = import("./bindings").ActivityKind_Serialize;
export type Engagement = import("./bindings").Engagement_Serialize;
export type { Stage, Standing, Window, Logged } from "./bindings";
export type Today = import("./bindings").Today_Serialize;
export type Plan = import("./bindings").Plan_Serialize;
export type Metrics = import("./bindings").Metrics_Serialize;
export type ChartSvg = import("./bindings").ChartSvg_Serialize;
export type Drill = import("./bindings").Drill_Deserialize;
export type { BehindPage, BehindMember, ChartTheme } from "./bindings";
export type GoalProgress = import("./bindings").GoalProgress_Serialize;
export type Campaign = import("./bindings").Campaign_Serialize;
export type CampaignSummary = import("./bindings").CampaignSummary;
export type CampaignTask = import("./bindings").Task_Serialize;
export type CampaignDraft = import("./bindings").CampaignDraft;
export type Partner = import("./bindings").Partner;
export type { Metric, GoalStatus, CampaignStatus, TaskStatus, TaskTemplate, PlanTemplate, BudgetCategory } from "./bindings";
export type FollowUp = import("./bindings").FollowUp_Serialize;
export type Birthday = import("./bindings").Birthday_Serialize;
export type ActivityImport = import("./bindings").ActivityImport_Serialize;
export type ImportActivities = import("./bindings").ImportActivities_Deserialize;
export type { ActivityRowOutcome } from "./bindings";
export type MemberCredit = import("./bindings").MemberCredit_Serialize;
export type CreditConfig = import("./bindings").CreditConfig_Serialize;
export type CreditEntry = import("./bindings").CreditEntry_Serialize;
export type PendingAppeal = import("./bindings").PendingAppeal_Serialize;
export type MemberLifecycle = import("./bindings").MemberLifecycle_Serialize;
export type LifecycleRules = import("./bindings").Rules_Serialize;
export type StageCounts = import("./bindings").StageCounts_Serialize;
export type Reward = import("./bindings").Reward_Serialize;
export type Level = import("./bindings").Level_Serialize;
export type PointsEntry = import("./bindings").PointsEntry_Serialize;
export type {
  Badge, MemberBadge, EngagementSettings, StageChange, SlippingMember, Tier, TierAction, Decision, GroupChannel, Criteria,
} from "./bindings";
export type {
  DoorMember, EventMode, EventStatus, RegistrationStatus, RosterOrder, PrintKind, PrintLang, PrintPreview, RegistrationCounts,
} from "./bindings";

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
  timeline: (id: number) => unwrap(commands.memberTimeline(id)),
  createMember: (draft: MemberDraft) => unwrap(commands.memberCreate(draft)),
  updateMember: (id: number, draft: MemberDraft) => unwrap(commands.memberUpdate({ id, draft })),
  deleteMembers: (ids: number[]) => unwrap(commands.membersDelete({ ids })),
  restoreMembers: (ids: number[]) => unwrap(commands.membersRestore({ ids })),
  tagMembers: (ids: number[], add: string[], remove: string[], expiresOn: string | null = null) =>
    unwrap(commands.membersTag({ ids, add, remove, expires_on: expiresOn })),
  styleTag: (name: string, color: string, group: string) => unwrap(commands.tagStyle({ name, color, group })),
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
  /** Snapshots next to the database, newest first (also when it could not open). */
  snapshots: () => unwrap(commands.snapshotsList()),
  createSnapshot: () => unwrap(commands.snapshotCreate()),
  verifySnapshot: (id: string) => unwrap(commands.snapshotVerify(id)),
  /** Replaces everything with snapshot `id`; the state before is kept as a snapshot. */
  restoreSnapshot: (id: string) => unwrap(commands.snapshotRestore(id)),
  snapshotSettings: () => unwrap(commands.snapshotSettings()),
  /** The native folder picker, then sets the second folder; `clear` removes it; `null` when cancelled. */
  snapshotSecondFolder: (clear: boolean) => unwrap(commands.snapshotSecondFolder(clear)),
  /** The start-up screen's choice when the database was damaged or missing. */
  startupChoose: (choice: import("./bindings").StartChoice) => unwrap(commands.startupChoose(choice)),
  updateSettings: (patch: SettingsPatch_Deserialize) => unwrap(commands.settingsUpdate(patch)),
  segments: () => unwrap(commands.segmentsList()),
  saveSegment: (input: SaveSegment) => unwrap(commands.segmentSave(input)),
  deleteSegment: (id: number) => unwrap(commands.segmentDelete(id)),
  segmentChanges: (id: number) => unwrap(commands.segmentChanges(id)),
  /** Adds members to a segment by hand; `added` holds the ones newly added (what Undo takes out). */
  addToSegment: (segmentId: number, memberIds: number[]) =>
    unwrap(commands.segmentAddMembers({ segment_id: segmentId, member_ids: memberIds })),
  /** Takes members added by hand out of a segment (members its filter selects stay in it). */
  removeFromSegment: (segmentId: number, memberIds: number[]) =>
    unwrap(commands.segmentRemoveMembers({ segment_id: segmentId, member_ids: memberIds })),
  setRoles: (changes: RoleChange[]) => unwrap(commands.membersSetRoles(changes)),
  facets: () => unwrap(commands.membersFacets()),
  customFields: () => unwrap(commands.customFieldsList()),
  createCustomField: (draft: CustomFieldDraft_Deserialize) => unwrap(commands.customFieldCreate(draft)),
  deleteCustomField: (id: number) => unwrap(commands.customFieldDelete(id)),
  restoreCustomField: (deleted: DeletedField_Serialize) => unwrap(commands.customFieldRestore(deleted)),
  /** The native open dialog, run by the shell; `null` when the manager cancels. */
  pickImportFile: () => unwrap(commands.importPickFile()),
  previewImport: (options: ImportOptions) => unwrap(commands.importPreview(options)),
  applyImport: (options: ImportOptions) => unwrap(commands.importApply(options)),
  undoImport: (batchId: number) => unwrap(commands.importUndo(batchId)),
  importHistory: () => unwrap(commands.importHistory()),
  importPresets: () => unwrap(commands.importPresets()),
  saveImportPreset: (name: string, mapping: ColumnMapping[], dayFirst: boolean) =>
    unwrap(commands.importPresetSave({ name, mapping, day_first: dayFirst })),
  deleteImportPreset: (name: string) => unwrap(commands.importPresetDelete(name)),
  /** Shows the native save dialog, then writes; `null` when the manager cancels the dialog. */
  exportMembers: (request: ExportRequest, suggestedName: string) => unwrap(commands.membersExport(request, suggestedName)),
  cancelTask: () => unwrap(commands.taskCancel()),
  activityKinds: () => unwrap(commands.activityKinds()),
  saveActivityKind: (input: import("./bindings").SaveKind_Deserialize) => unwrap(commands.activityKindSave(input)),
  /** One kind of activity for several members, in one transaction; Undo with `undoActivities`. */
  logActivities: (input: LogActivities_Deserialize) => unwrap(commands.activityLog(input)),
  undoActivities: (ids: number[]) => unwrap(commands.activityUndo(ids)),
  adjustPoints: (input: AdjustPoints) => unwrap(commands.pointsAdjust(input)),
  engagement: (memberId: number) => unwrap(commands.memberEngagement(memberId)),
  leaderboard: (window: Window, limit = 20) => unwrap(commands.leaderboard(window, limit)),
  today: () => unwrap(commands.todayList()),
  plan: () => unwrap(commands.planShow()),
  planTemplate: (template: import("./bindings").PlanTemplate) => unwrap(commands.planTemplate(template)),
  savePositioning: (input: import("./bindings").SavePositioning) => unwrap(commands.planSavePositioning(input)),
  addGoal: (input: import("./bindings").AddGoal_Deserialize) => unwrap(commands.goalAdd(input)),
  deleteGoal: (id: number) => unwrap(commands.goalDelete(id)),
  addReading: (input: import("./bindings").AddReading) => unwrap(commands.goalReadingAdd(input)),
  /** The members behind a goal's value today (the click-through). */
  goalMembers: (goalId: number) => unwrap(commands.goalMembers(goalId)),
  /** Saves the members behind a goal's value as a hand-picked segment. */
  saveGoalSegment: (goalId: number, name: string) => unwrap(commands.goalSaveSegment({ goal_id: goalId, name })),
  campaigns: () => unwrap(commands.campaignsList()),
  campaign: (id: number) => unwrap(commands.campaignGet(id)),
  createCampaign: (draft: import("./bindings").CampaignDraft) => unwrap(commands.campaignCreate(draft)),
  setCampaignStatus: (id: number, status: import("./bindings").CampaignStatus) => unwrap(commands.campaignSetStatus(id, status)),
  saveRetrospective: (input: import("./bindings").SaveRetrospective) => unwrap(commands.campaignSaveRetrospective(input)),
  addTask: (input: import("./bindings").AddTask) => unwrap(commands.taskAdd(input)),
  setTaskStatus: (id: number, status: import("./bindings").TaskStatus) => unwrap(commands.taskSetStatus(id, status)),
  checkTask: (itemId: number, done: boolean) => unwrap(commands.taskCheck(itemId, done)),
  applyTaskTemplate: (input: import("./bindings").ApplyTemplate) => unwrap(commands.taskTemplateApply(input)),
  partners: () => unwrap(commands.partnersList()),
  savePartner: (input: import("./bindings").SavePartner_Deserialize) => unwrap(commands.partnerSave(input)),
  linkPartner: (input: import("./bindings").LinkPartner) => unwrap(commands.partnerLink(input)),
  saveBudgetLine: (input: import("./bindings").SaveBudgetLine_Deserialize) => unwrap(commands.budgetLineSave(input)),
  addFunding: (input: import("./bindings").AddFunding_Deserialize) => unwrap(commands.fundingAdd(input)),
  /** The segment whose members matter on Today (birthdays, slipping) besides core, loyal, leaders. */
  setMatterSegment: (segment: number | null) => unwrap(commands.todayMatterSegment(segment)),
  /** Save dialog, then the PDF; `null` when the manager cancels. */
  campaignReport: (id: number, lang: import("./bindings").PrintLang, suggestedName: string) =>
    unwrap(commands.campaignReport(id, lang, suggestedName)),
  /** Every tile's numbers for a range (`compare`: also the period just before). */
  dashboardMetrics: (from: string, to: string, compare: boolean) => unwrap(commands.dashboardMetrics({ from, to, compare })),
  /** One dashboard chart as SVG (labels escaped in Rust) and the drill behind each `data-bar`. */
  dashboardChart: (request: import("./bindings").ChartRequest_Deserialize) => unwrap(commands.dashboardChart(request)),
  /** A page of the members behind a number; `total` is all of them. */
  dashboardMembers: (drill: import("./bindings").Drill_Deserialize, offset: number, limit: number) =>
    unwrap(commands.dashboardMembers({ drill, offset, limit })),
  dashboardSaveSegment: (drill: import("./bindings").Drill_Deserialize, name: string) => unwrap(commands.dashboardSaveSegment({ drill, name })),
  /** Save dialog, then the chart's SVG; `null` when the manager cancels. */
  dashboardChartExport: (request: import("./bindings").ChartRequest_Deserialize, suggestedName: string) =>
    unwrap(commands.dashboardChartExport(request, suggestedName)),
  /** Save dialog, then the monthly report PDF; `null` when the manager cancels. */
  dashboardReport: (month: string, lang: import("./bindings").PrintLang, suggestedName: string) =>
    unwrap(commands.dashboardReport(month, lang, suggestedName)),
  credit: (memberId: number) => unwrap(commands.memberCredit(memberId)),
  creditConfig: () => unwrap(commands.creditConfig()),
  /** A deduction (evidence required); Undo with `undoDeduct`. */
  deduct: (input: import("./bindings").Deduct_Deserialize) => unwrap(commands.creditDeduct(input)),
  undoDeduct: (entryId: number) => unwrap(commands.creditUndoDeduct(entryId)),
  fileAppeal: (entryId: number, reason: string) => unwrap(commands.creditAppealFile({ entry_id: entryId, reason })),
  decideAppeal: (appealId: number, decision: import("./bindings").Decision, note: string) =>
    unwrap(commands.creditAppealDecide({ appeal_id: appealId, decision, note })),
  setCreditStart: (score: number) => unwrap(commands.creditSetStartScore(score)),
  saveCreditRule: (input: import("./bindings").SaveRule_Deserialize) => unwrap(commands.creditRuleSave(input)),
  saveTiers: (tiers: import("./bindings").Tier[]) => unwrap(commands.creditTiersSave(tiers)),
  saveChannel: (input: import("./bindings").SaveChannel_Deserialize) => unwrap(commands.channelSave(input)),
  lifecycle: (memberId: number) => unwrap(commands.memberLifecycle(memberId)),
  lifecycleRules: () => unwrap(commands.lifecycleRules()),
  setLifecycleRules: (rules: import("./bindings").Rules_Deserialize) => unwrap(commands.lifecycleSetRules(rules)),
  recomputeLifecycle: () => unwrap(commands.lifecycleRecompute()),
  /** A manual stage (reason required); `stage: null` clears it. */
  overrideStage: (memberId: number, stage: import("./bindings").Stage | null, reason: string) =>
    unwrap(commands.stageOverride({ member_id: memberId, stage, reason })),
  setOpinionLeader: (memberId: number, value: boolean | null, reason: string) =>
    unwrap(commands.opinionLeaderSet({ member_id: memberId, opinion_leader: value, reason })),
  stageHistory: (memberId: number) => unwrap(commands.stageHistory(memberId)),
  stageCounts: () => unwrap(commands.stageCounts()),
  badges: () => unwrap(commands.badgesList()),
  saveBadge: (input: import("./bindings").BadgeDraft_Deserialize) => unwrap(commands.badgeSave(input)),
  memberBadges: (memberId: number) => unwrap(commands.memberBadges(memberId)),
  awardBadge: (memberId: number, badgeKey: string, reason: string) =>
    unwrap(commands.badgeAward({ member_id: memberId, badge_key: badgeKey, reason })),
  /** Undo of `awardBadge`: unlike revoking, the badge's rule may still give it later. */
  undoAward: (memberId: number, badgeKey: string) => unwrap(commands.badgeAwardUndo({ member_id: memberId, badge_key: badgeKey, reason: "" })),
  revokeBadge: (memberId: number, badgeKey: string, reason: string) =>
    unwrap(commands.badgeRevoke({ member_id: memberId, badge_key: badgeKey, reason })),
  levels: () => unwrap(commands.levelsList()),
  saveLevels: (levels: import("./bindings").Level_Deserialize[]) => unwrap(commands.levelsSave(levels)),
  rewards: () => unwrap(commands.rewardsList()),
  saveReward: (input: import("./bindings").RewardDraft_Deserialize) => unwrap(commands.rewardSave(input)),
  /** Spends points on a reward; Undo with `undoRedeem`. */
  redeem: (memberId: number, rewardId: number, note = "") => unwrap(commands.redeem({ member_id: memberId, reward_id: rewardId, note })),
  undoRedeem: (redemptionId: number) => unwrap(commands.redeemUndo(redemptionId)),
  invite: (inviterId: number, inviteeId: number) =>
    unwrap(commands.inviteLog({ inviter_id: inviterId, invitee_id: inviteeId, occurred_at: null, note: "" })),
  engagementSettings: () => unwrap(commands.engagementSettingsGet()),
  setEngagementSettings: (patch: import("./bindings").EngagementSettingsPatch_Deserialize) => unwrap(commands.engagementSettingsSet(patch)),
  pointsHistory: (memberId: number) => unwrap(commands.pointsHistory(memberId)),
  addFollowUp: (memberId: number, dueOn: string, note: string) =>
    unwrap(commands.followupAdd({ member_id: memberId, due_on: dueOn, note })),
  /** Ticks a follow-up off; `done: false` is its Undo. */
  setFollowUpDone: (id: number, done: boolean) => unwrap(commands.followupDone(id, done)),
  memberFollowUps: (memberId: number) => unwrap(commands.memberFollowups(memberId)),
  previewActivityImport: (input: ImportActivities) => unwrap(commands.activityImportPreview(input)),
  applyActivityImport: (input: ImportActivities) => unwrap(commands.activityImportApply(input)),
  undoActivityImport: (batchId: number) => unwrap(commands.activityImportUndo(batchId)),
  events: (range: EventRange_Deserialize) => unwrap(commands.eventsList(range)),
  event: (id: number) => unwrap(commands.eventGet(id)),
  createEvent: (draft: EventDraft) => unwrap(commands.eventCreate(draft)),
  updateEvent: (id: number, draft: EventDraft) => unwrap(commands.eventUpdate(id, draft)),
  registrations: (eventId: number, search: string | null, order: RosterOrder) =>
    unwrap(commands.registrationsList(eventId, search, order)),
  register: (input: Register_Deserialize) => unwrap(commands.registrationsAdd(input)),
  setRegistrationStatus: (registrationId: number, status: RegistrationStatus) =>
    unwrap(commands.registrationSetStatus({ registration_id: registrationId, status })),
  /** Undo of registering: takes back those still registered or waiting. */
  removeRegistrations: (ids: number[]) => unwrap(commands.registrationsRemove(ids)),
  doorSearch: (eventId: number, query: string) => unwrap(commands.doorSearch(eventId, query)),
  /** Unregistered members matching the query (walk-in candidates); slower, asked for second. */
  doorOthers: (eventId: number, query: string) => unwrap(commands.doorOthers(eventId, query)),
  checkIn: (input: CheckIn_Deserialize) => unwrap(commands.doorCheckIn(input)),
  undoCheckIn: (registrationId: number) => unwrap(commands.doorUndo(registrationId)),
  walkInNew: (input: WalkInNew_Deserialize) => unwrap(commands.doorWalkInNew(input)),
  markNoShows: (eventId: number) => unwrap(commands.eventMarkNoShows(eventId)),
  undoNoShows: (ids: number[]) => unwrap(commands.eventUndoNoShows(ids)),
  jielongPreview: (input: PasteJielong_Deserialize) => unwrap(commands.jielongPreview(input)),
  jielongApply: (input: PasteJielong_Deserialize) => unwrap(commands.jielongApply(input)),
  /** Undo of a 接龙 in one transaction: its registrations, then the members it created. */
  undoJielong: (registrationIds: number[], createdMemberIds: number[]) =>
    unwrap(commands.jielongUndo(registrationIds, createdMemberIds)),
  /** Undo of a registration import in one transaction: its registrations, then the import. */
  undoRegistrationImport: (registrationIds: number[], batchId: number) =>
    unwrap(commands.registrationsImportUndo(registrationIds, batchId)),
  previewRegistrationImport: (input: ImportRegistrations_Deserialize) => unwrap(commands.registrationsImportPreview(input)),
  applyRegistrationImport: (input: ImportRegistrations_Deserialize) => unwrap(commands.registrationsImportApply(input)),
  printPreview: (request: PrintRequest_Deserialize, page: number) => unwrap(commands.eventPrintPreview(request, page)),
  /** Save dialog, PDF written by Rust and opened in the system viewer; `null` when cancelled. */
  print: (request: PrintRequest_Deserialize) => unwrap(commands.eventPrint(request)),
  exportAttendees: (input: ExportAttendees_Deserialize, suggestedName: string) =>
    unwrap(commands.eventExportAttendees(input, suggestedName)),
  exportIcs: (eventId: number, suggestedName: string) => unwrap(commands.eventExportIcs(eventId, suggestedName)),
  eventOutcome: (eventId: number) => unwrap(commands.eventOutcome(eventId)),
  feedback: (eventId: number) => unwrap(commands.feedbackList(eventId)),
  addFeedback: (draft: FeedbackDraft_Deserialize) => unwrap(commands.feedbackAdd(draft)),
  removeFeedback: (ids: number[]) => unwrap(commands.feedbackRemove(ids)),
  /** Open dialog for a survey export, then import; `null` when cancelled. */
  importFeedback: (eventId: number) => unwrap(commands.feedbackImport(eventId)),
  // The content calendar.
  contentCalendar: (query: import("./bindings").CalendarQuery_Deserialize) => unwrap(commands.contentCalendar(query)),
  createContent: (draft: import("./bindings").ContentDraft_Deserialize) => unwrap(commands.contentCreate(draft)),
  updateContent: (id: number, draft: import("./bindings").ContentDraft_Deserialize) => unwrap(commands.contentUpdate(id, draft)),
  deleteContent: (id: number) => unwrap(commands.contentDelete(id)),
  /** To a day (`day`), or back to the unscheduled ideas (`day: null`). */
  moveContent: (id: number, day: string | null, time: string | null = null) => unwrap(commands.contentMove({ id, day, time })),
  markPosted: (id: number, at: string | null, link: string | null) => unwrap(commands.contentMarkPosted({ id, at, link })),
  /** Undo of `markPosted`. */
  unmarkPosted: (id: number) => unwrap(commands.contentUnmarkPosted(id)),
  channels: () => unwrap(commands.channelsList()),
  createChannel: (draft: import("./bindings").ChannelDraft_Deserialize) => unwrap(commands.channelCreate(draft)),
  updateChannel: (id: number, draft: import("./bindings").ChannelDraft_Deserialize) => unwrap(commands.channelUpdate(id, draft)),
  deleteChannel: (id: number) => unwrap(commands.channelDelete(id)),
  contentSlots: () => unwrap(commands.contentSlots()),
  createSlot: (draft: import("./bindings").SlotDraft_Deserialize) => unwrap(commands.contentSlotCreate(draft)),
  deleteSlot: (id: number) => unwrap(commands.contentSlotDelete(id)),
  planAhead: () => unwrap(commands.contentPlanAhead({ days: null })),
  /** Save dialog, then the plan as .ics or .csv; `null` when cancelled. */
  exportContent: (query: import("./bindings").ContentQuery_Deserialize, suggestedName: string) =>
    unwrap(commands.contentExport(query, suggestedName)),
  onProgress: async (listener: (p: { task: string; done: number; total: number }) => void): Promise<() => void> =>
    events.taskProgress.listen((event) => listener(event.payload)),
  /** Calls `onChange(entity)` after every write anywhere in the app; returns an unsubscribe. */
  onDataChanged: async (onChange: (entity: DataChanged["entity"]) => void): Promise<() => void> =>
    events.dataChanged.listen((event) => onChange(event.payload.entity)),
};
