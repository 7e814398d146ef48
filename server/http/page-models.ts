/**
 * What each view is rendered with, by template name: `renderPage` checks a page's locals against its
 * entry here. A template not (yet) listed takes any locals, so pages can move here one at a time.
 */
import type { Role, RosterPage, User } from "../users/users";
import type { ImportRow } from "../pages/admin-users/roster-import";
import type { ExerciseStats, RuleMiss } from "../analytics/exercise-stats";
import type { Exercise } from "../../grader/exercises";
import type { GradingResult } from "../../grader/result";
import type { ReplayedRun } from "../../grader/rollout-sim/interactive";
import type { StaffRolloutRun } from "../simulator/runs";
import type { ChartView } from "../pages/simulator/view-model";

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

export interface PageModels {
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

/** The locals of `view`: its model when listed, otherwise any record. */
export type PageLocals<View extends string> = View extends keyof PageModels
  ? PageModels[View]
  : Record<string, unknown>;
