/** passport-local strategy over the users table; the session holds only the user id. */
import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { Db } from "../db/database";
import { findUserById, findUserForLogin, type User } from "../users/users";
import type { User as AppUser } from "../users/users";
import { dummyHashPromise, verifyPassword } from "./passwords";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user is our User row.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AppUser {}
  }
}

export const invalidCredentialsMessage = "That email and password do not match an active account.";

export function configurePassport(db: Db): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: "email", passwordField: "password" }, (email, password, done) => {
      void (async () => {
        const found = findUserForLogin(db, email);
        // Always run scrypt so response time does not reveal whether the email exists.
        const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHashPromise));
        if (!found || !ok || !found.user.active) return done(null, false, { message: invalidCredentialsMessage });
        return done(null, found.user);
      })().catch(done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    const user: User | undefined = typeof id === "number" ? findUserById(db, id) : undefined;
    // A deactivated user's sessions stop working at once.
    done(null, user && user.active ? user : false);
  });
  return instance;
}
