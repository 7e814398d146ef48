/** The final grade everyone uses: staff review pages, the student's submission page, grade exports. */
export { gradeBreakdown, submissionBreakdown, allFinalGrades, countingSubmissions } from "./final-grade";
export { studentGrade, type ExerciseGrade } from "./student-grade";
export { attemptScores, submissionScore } from "./score-view";
