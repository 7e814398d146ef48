/**
 * What each view is rendered with, by template name: `renderPage` takes only the templates listed
 * here and checks a page's locals against its entry, so a new page must say what its view reads.
 */
import type { z } from "zod";
import type { Role, RosterPage, User } from "../users/users";
import type { ImportRow } from "../pages/admin-users/roster-import";
import type { ExerciseStats, RuleMiss } from "../analytics/exercise-stats";
import type { Exercise, FieldIssue, LoadIssue } from "../../grader/exercises";
import type { GradingResult } from "../../grader/result";
import type { ReplayedRun } from "../../grader/rollout-sim/interactive";
import type { RolloutSimulatorBody } from "../../grader/rollout-sim/kind";
import type { Module } from "../content/modules";
import type { AppContext } from "../context";
import type { CourseExercise } from "../course";
import type { Platform, platformInputSchema } from "../lti/platforms";
import type { LtiContext } from "../lti/contexts";
import type { ToolUrls } from "../lti/tool-urls";
import type { SyncRow } from "../lti/sync-state";
import type { ExerciseStatus } from "../pages/exercises/status";
import type { FormView, submissionStatusLabels } from "../pages/exercises/exercise-page";
import type { StudentFeedback } from "../pages/regrades/student-feedback";
import type { ChartView, GROUP_OPTIONS, METRIC_OPTIONS } from "../pages/simulator/view-model";
import type { GroupKey } from "../../grader/rollout-sim/simulate";
import type { FormState as ReviewFormState } from "../pages/review/submission-view";
import type { queueQuery } from "../pages/review/forms";
import type { AuthoringEntry } from "../pages/instructor/authoring-list";
import type { RerunHistoryRow } from "../pages/instructor/rerun-grading";
import type { RolloutRun, StaffRolloutRun } from "../simulator/runs";
import type { Submission } from "../submissions/submissions";
import type { ExerciseGrade } from "../grades";
import type { GradeBreakdown } from "../grades/final-grade";
import type { ScoreView } from "../grades/score-view";
import type { ManualMark } from "../review/marks";
import type { Override } from "../review/overrides";
import type { RegradeRequest } from "../review/regrade-requests";
import type { AuditEntry, auditActionLabels } from "../review/audit";
import type { AppliedDeadline } from "../review/deadline";
import type { Claim } from "../review/claims";
import type { ReleaseState } from "../review/release";
import type { QueueItem, ReviewStatus, reviewStatuses } from "../review/queue";
import type { Deadline } from "../deadlines/deadlines";
import type { ExtensionWithStudent } from "../deadlines/extensions";
import type { LatenessChange } from "../deadlines/reassess";
import type { QueueStats } from "../queue/stats";
import type { INTERACTIVE_STEPS, BLOCK_MINUTES } from "../../grader/rollout-sim/interactive";

/** A choice of a select on the simulator pages. */
interface Option {
  value: string;
  label: string;
}

/** A form shown again after a refusal: what was typed, and a message per field ("form" for the whole). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** What the authoring page's try box shows: the text tried, why it was refused, or its grading. */
export interface TryView {
  text: string;
  issues: FieldIssue[];
  result?: GradingResult;
}

/** A rollout-simulator exercise, whose body the simulator page reads. */
type SimulatorExercise = CourseExercise["exercise"] & { body: RolloutSimulatorBody };

/** A module with each of its exercises' status for the student. */
type ModuleExercises = { module: Module; exercises: ExerciseStatus[] };

export interface PageModels {
  /** Any failed request a browser made (server/http/error-handler.ts); the stack only in development. */
  error: { title: string; status: number; message: string; issues: FieldIssue[]; stack: string | undefined };
  home: {
    title: string;
    modules: (Module & { visited: boolean; exercises: ExerciseStatus[] })[];
    readCount: number;
  };
  module: {
    title: string;
    module: Module;
    previous: Module | null;
    next: Module | null;
    exercises: ExerciseStatus[];
  };
  exercises: { title: string; groups: ModuleExercises[] };
  /** The student's exercise page, and the instructor's preview of it (with `previewAction`). */
  exercise: {
    title: string;
    entry: CourseExercise;
    exercise: CourseExercise["exercise"];
    module: Module | undefined;
    isCode: boolean;
    form: FormView;
    /** The first message per field path. */
    issueMap: Record<string, string>;
    submissions: Submission[];
    attemptsUsed: number;
    attemptsLeft: number;
    grade: ExerciseGrade | undefined;
    /** Every attempt's score as the student sees it, by submission id. */
    scores: Map<number, ScoreView>;
    statusLabels: typeof submissionStatusLabels;
    queue: AppContext["queue"];
    /** In the instructor's preview: where the form is tried instead of submitted. */
    previewAction?: string;
  };
  submission: {
    title: string;
    scoreView: ScoreView | undefined;
    submission: Submission;
    revealAnswers: boolean;
    code: string | undefined;
    exercise: CourseExercise["exercise"] | undefined;
    module: Module | undefined;
    /** Place in the grading line while queued. */
    position: number | undefined;
    isOwner: boolean;
    regrade: StudentFeedback | undefined;
  };
  simulator: {
    title: string;
    exercise: SimulatorExercise;
    module: Module | undefined;
    run: RolloutRun | undefined;
    replayed: ReplayedRun | undefined;
    result: GradingResult | null;
    charts: ChartView[];
    group: GroupKey;
    groupOptions: typeof GROUP_OPTIONS;
    metricOptions: typeof METRIC_OPTIONS;
    steps: typeof INTERACTIVE_STEPS;
    blockMinutes: typeof BLOCK_MINUTES;
    pastRuns: RolloutRun[];
    issueMap: Record<string, string>;
    values: Record<string, string>;
  };
  grading: { title: string; stats: QueueStats };
  "review/index": {
    title: string;
    exercises: { exercise: Exercise; counts: Record<ReviewStatus, number>; release: ReleaseState }[];
    statusLabels: Record<ReviewStatus, string>;
  };
  "review/queue": {
    title: string;
    exercise: Exercise;
    rows: { item: QueueItem; scoreView: ScoreView | undefined }[];
    counts: Record<ReviewStatus, number>;
    query: z.output<typeof queueQuery>;
    statuses: typeof reviewStatuses;
    statusLabels: Record<ReviewStatus, string>;
    release: ReleaseState;
    me: User;
    now: number;
  };
  "review/submission": {
    title: string;
    scoreView: ScoreView | undefined;
    scores: Map<number, ScoreView>;
    submission: Submission;
    revealAnswers: boolean;
    student: User | undefined;
    exercise: Exercise | undefined;
    code: string | undefined;
    breakdown: GradeBreakdown | undefined;
    /** The attempt the student's grade comes from. */
    countingId: number | undefined;
    scoring: "best" | "last";
    items: NonNullable<Exercise["manualRubric"]>;
    appliedIds: Set<string>;
    marks: { mark: ManualMark; item: NonNullable<Exercise["manualRubric"]>[number] | undefined }[];
    override: Override | undefined;
    requests: RegradeRequest[];
    attempts: Submission[];
    audit: AuditEntry[];
    auditLabels: typeof auditActionLabels;
    deadline: AppliedDeadline | undefined;
    relativeDeadline: string | undefined;
    claim: Claim | undefined;
    me: User;
    reviewed: { name: string; at: string } | undefined;
    release: ReleaseState;
    /** The form that failed, or none. */
    form: ReviewFormState | { name: "none"; values: Record<string, string>; errors: Record<string, string> };
  };
  "lti/admin": {
    title: string;
    platforms: Platform[];
    contexts: LtiContext[];
    urls: ToolUrls;
    canvasJson: string;
    kids: string[];
    /** The registration form as typed: one text per field of the platform input. */
    form: Record<keyof z.input<typeof platformInputSchema>, string>;
    errors: Record<string, string>;
  };
  "lti/sync": { title: string; rows: SyncRow[]; now: number };
  "lti/refused": { title: string; message: string; code: string };
  "lti/new-window": { title: string; href: string };
  "lti/deep-linking": {
    title: string;
    id: string;
    error: string | null;
    modules: { id: string; title: string; exercises: { id: string; title: string; points: number }[] }[];
  };
  "lti/deep-linking-return": { title: string; returnUrl: string; jwt: string; count: number };
  login: { title: string; email: string; next: string; error: string | null };
  "admin-users": {
    title: string;
    roster: RosterPage;
    users: User[];
    q: string;
    form: FormState;
    roles: readonly Role[];
  };
  /** The second, confirming page of a destructive action (views/instructor/confirm.ejs). */
  "instructor/confirm": {
    title: string;
    question: string;
    consequence: string;
    /** Where the confirming form posts, with `confirm=yes` and `fields` as hidden inputs. */
    action: string;
    fields: Record<string, string>;
    confirmLabel: string;
    cancelHref: string;
  };
  "instructor/roster-import": {
    title: string;
    error: string | undefined;
    rows: ImportRow[];
    csv: string;
    added?: number;
    passwordsCsv?: string;
  };
  "instructor/index": { title: string };
  "instructor/authoring": {
    title: string;
    entries: (AuthoringEntry & { rubricChanged: boolean; submissionCount: number })[];
    exercisesDir: string;
  };
  "instructor/authoring-exercise": {
    title: string;
    exercise: Exercise;
    revealAnswers: boolean;
    isCode: boolean;
    tried: TryView;
    checked: LoadIssue[] | undefined;
    rubricChanged: boolean;
    submissionCount: number;
    history: RerunHistoryRow[];
  };
  "instructor/deadlines": {
    title: string;
    rows: {
      id: string;
      title: string;
      points: number;
      opens: string | null;
      due: string | null;
      lateUntil: string | null;
      policy: string | null;
    }[];
  };
  "instructor/deadline-edit": {
    title: string;
    exercise: Exercise;
    deadline: Deadline | undefined;
    deadlineForm: FormState;
    extensionForm: FormState;
    extensions: (ExtensionWithStudent & { due: string; lateUntil: string | null })[];
    students: User[];
  };
  "instructor/deadline-preview": {
    title: string;
    exercise: Exercise;
    what: string;
    action: string;
    fields: Record<string, string>;
    changes: LatenessChange[];
    raises: number;
  };
  "instructor/export": {
    title: string;
    exercises: { title: string; points: number }[];
    /** Exercise folders that failed to load, which the gradebook has no column for. */
    notLoaded: string[];
  };
  "instructor/analytics": {
    title: string;
    rows: { id: string; title: string; students: number; submissions: number; mostMissed: RuleMiss | undefined }[];
    percent: (share: number) => string;
  };
  "instructor/analytics-exercise": {
    title: string;
    exercise: Exercise;
    stats: ExerciseStats;
    /** Server-drawn SVG, one per chart (server/analytics/svg-bar-chart.ts). */
    charts: { scores: string; attempts: string; rules: string; faults: string };
    percent: (share: number) => string;
    isCode: boolean;
  };
  /** Staff: the interactive ramp days of a simulator exercise, everyone's or one student's. */
  "review/ramp-days": {
    title: string;
    exercise: Exercise;
    runs: { run: StaffRolloutRun; scenario: string; minutes: number; end: string | undefined }[];
    student: number | undefined;
    studentName: string | undefined;
    maxListed: number;
  };
  /** Staff: one ramp day replayed read-only, its scenario named. */
  "review/ramp-day": {
    title: string;
    exercise: Exercise;
    run: StaffRolloutRun;
    replayed: ReplayedRun;
    end: string | undefined;
    result: GradingResult | null;
    charts: ChartView[];
    group: string;
    groupOptions: Option[];
    metricOptions: Option[];
  };
}

/** A page template's name: only these can be rendered. */
export type PageView = keyof PageModels;
