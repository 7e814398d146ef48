/** Every page an instructor can open, at 390 and 1280 px: see role-walk.ts and page-checks.ts. */
import { describeRoleWalk } from "./role-walk";

describeRoleWalk("instructor");
