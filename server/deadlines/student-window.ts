/** Looks up one student's window on one exercise: the deadline with their extension applied. */
import type { Db } from "../db/database";
import { getDeadline } from "./deadlines";
import { getExtension } from "./extensions";
import { studentWindow, type StudentWindow } from "./window";

export function windowFor(db: Db, exerciseId: string, userId: number): StudentWindow | undefined {
  const deadline = getDeadline(db, exerciseId);
  return deadline && studentWindow(deadline, getExtension(db, exerciseId, userId));
}
