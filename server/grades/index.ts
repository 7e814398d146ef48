/** The final grade everyone uses: staff review pages, the student's submission page, grade exports. */
export { gradeBreakdown, submissionBreakdown, allFinalGrades, countingSubmissions } from "./final-grade";
export type { GradeBreakdown, FinalGradeRow } from "./final-grade";
export { computeFinal, clampScore } from "./compute";
export type { ScoreInputs, ScoreOutcome } from "./compute";
export { studentGrade, type ExerciseGrade } from "./student-grade";
export { attemptScores, exerciseScore, submissionScore, visibleFinal, type ScoreView, type Audience } from "./score-view";
