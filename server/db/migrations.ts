/**
 * Forward-only migrations, named by timestamp and applied in order, each in its own transaction.
 * Never edit a migration that has shipped: add a new one. They live in code (not .sql files) so the
 * bundled server carries them without a files-on-disk lookup.
 */
export interface Migration {
  id: string;
  sql: string;
  /**
   * Rebuilds a table other tables reference (SQLite changes a CHECK only by copying the table). Run
   * with foreign keys off, as SQLite's own procedure says, and checked with foreign_key_check before
   * the transaction commits, so a rebuild can never leave a dangling reference.
   */
  rebuildsReferencedTable?: boolean;
}

export const migrations: Migration[] = [
  {
    id: "20261128_0001_users_sessions",
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('student', 'ta', 'instructor')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );

      CREATE TABLE sessions (
        sid TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      -- One row per failed login, keyed by account and by address, to throttle guessing.
      CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX login_failures_key_at ON login_failures (key, at);

      CREATE TABLE module_visits (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        module_id TEXT NOT NULL,
        first_visited_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (user_id, module_id)
      );
    `,
  },
  {
    id: "20261128_0002_submissions_drafts",
    sql: `
      -- Every attempt at an exercise, structured or code. Rows are never deleted or overwritten in
      -- place once graded; a newer code submission may mark a still-queued one superseded.
      CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        exercise_id TEXT NOT NULL,
        -- JSON: the structured answer, or {"code": "..."} for code exercises.
        answer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'graded', 'error', 'superseded')),
        -- JSON GradingResult once graded (status graded or error).
        result TEXT,
        score REAL,
        max_score REAL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        started_at TEXT,
        graded_at TEXT,
        -- Set while a worker holds the job; a job whose worker died is picked up again on restart.
        worker_id TEXT,
        attempts_run INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX submissions_user_exercise ON submissions (user_id, exercise_id, id);
      CREATE INDEX submissions_queue ON submissions (status, id);

      CREATE TABLE drafts (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        exercise_id TEXT NOT NULL,
        -- JSON: the form state or code being edited.
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (user_id, exercise_id)
      );
    `,
  },
  {
    id: "20261128_0003_submission_lateness",
    sql: `
      -- Set when a submission is accepted after its due date: whole days late and the points the late
      -- policy takes off. Grades subtract late_penalty from the automatic score (never below zero).
      ALTER TABLE submissions ADD COLUMN late_days INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE submissions ADD COLUMN late_penalty REAL NOT NULL DEFAULT 0;
    `,
  },
  {
    id: "20261129_0101_deadlines_extensions_regrade_history",
    sql: `
      -- One deadline per exercise, UTC ISO strings. late_policy "penalty" takes penalty_percent of the
      -- exercise's points per started day after due_at; "no-credit" refuses submissions after due_at.
      CREATE TABLE exercise_deadlines (
        exercise_id TEXT PRIMARY KEY,
        opens_at TEXT,
        due_at TEXT NOT NULL,
        late_until TEXT,
        late_policy TEXT NOT NULL CHECK (late_policy IN ('penalty', 'no-credit')),
        penalty_percent REAL NOT NULL DEFAULT 0 CHECK (penalty_percent >= 0 AND penalty_percent <= 100),
        updated_by INTEGER REFERENCES users (id),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );

      -- A new due date (and late-until) for one student on one exercise.
      CREATE TABLE deadline_extensions (
        exercise_id TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        due_at TEXT NOT NULL,
        late_until TEXT,
        granted_by INTEGER REFERENCES users (id),
        granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (exercise_id, user_id)
      );

      -- Every regrade after an exercise's rubric changed: the result before and after, who asked and when.
      -- new_result is NULL while a re-queued code submission waits for its grading.
      CREATE TABLE regrade_history (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        old_result TEXT,
        old_score REAL,
        new_result TEXT,
        new_score REAL,
        regraded_by INTEGER REFERENCES users (id),
        regraded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE INDEX regrade_history_submission ON regrade_history (submission_id, id);
    `,
  },
  {
    id: "20261129_0201_review_manual_grades_regrade_requests",
    sql: `
      -- A TA's short hold on a submission from "next ungraded", so two TAs never get the same one.
      -- expires_at is epoch milliseconds; an expired claim is as good as none.
      CREATE TABLE review_claims (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        expires_at INTEGER NOT NULL
      );

      -- Which manual rubric items were applied (never their points: scores are computed from the
      -- exercise's current definitions). Removing an item stamps removed_at; rows are never deleted.
      CREATE TABLE manual_marks (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        item_id TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        applied_by INTEGER NOT NULL REFERENCES users (id),
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        removed_by INTEGER REFERENCES users (id),
        removed_at TEXT
      );
      CREATE UNIQUE INDEX manual_marks_active ON manual_marks (submission_id, item_id) WHERE removed_at IS NULL;

      -- A staff-set final score with its reason; clearing stamps cleared_at. At most one active per submission.
      CREATE TABLE grade_overrides (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        score REAL NOT NULL CHECK (score >= 0),
        reason TEXT NOT NULL,
        set_by INTEGER NOT NULL REFERENCES users (id),
        set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        cleared_by INTEGER REFERENCES users (id),
        cleared_at TEXT
      );
      CREATE UNIQUE INDEX grade_overrides_active ON grade_overrides (submission_id) WHERE cleared_at IS NULL;

      -- A TA finished looking at a submission (with or without changing its score).
      CREATE TABLE submission_reviews (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
        reviewed_by INTEGER NOT NULL REFERENCES users (id),
        reviewed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );

      -- A student's request to look at a grade again, and staff's answer. One open request per submission.
      CREATE TABLE regrade_requests (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        student_id INTEGER NOT NULL REFERENCES users (id),
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        response TEXT,
        answered_by INTEGER REFERENCES users (id),
        answered_at TEXT
      );
      CREATE UNIQUE INDEX regrade_requests_one_open ON regrade_requests (submission_id) WHERE status = 'open';

      -- Every manual grade change: who, when, the final score before and after, what and why. Append only.
      CREATE TABLE grade_audit (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        actor_id INTEGER NOT NULL REFERENCES users (id),
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        action TEXT NOT NULL,
        before_score REAL,
        after_score REAL,
        detail TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX grade_audit_submission ON grade_audit (submission_id, id);

      -- Per exercise: is manual feedback shown at once ('immediate') or held until released ('held')?
      -- No row means held, so a half-finished review never leaks.
      CREATE TABLE feedback_release (
        exercise_id TEXT PRIMARY KEY,
        mode TEXT NOT NULL CHECK (mode IN ('immediate', 'held')),
        released_at TEXT,
        released_by INTEGER REFERENCES users (id)
      );
    `,
  },
  {
    id: "20261206_0301_submission_retries_regrades",
    rebuildsReferencedTable: true,
    sql: `
      -- New statuses: compile_error (feedback, not an attempt) and infrastructure_error (the machinery
      -- failed; not an attempt, retried later). SQLite changes a CHECK only by rebuilding the table:
      -- every row and column is copied as it is, then the two indexes are made again.
      --   retry_at         when the queue takes an infrastructure_error up again (NULL: no retry planned)
      --   infra_retries    automatic retries so far since the last recorded verdict (bounded backoff)
      --   infra_error      the machinery's message when a regrade failed and the old result stayed in force
      --   regrade_pending_by  who asked for a regrade while the submission was being graded: it is regraded
      --                       as soon as that grading is recorded (NULL: none pending)
      CREATE TABLE submissions_rebuilt (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        exercise_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'graded', 'error', 'compile_error', 'infrastructure_error', 'superseded')),
        result TEXT,
        score REAL,
        max_score REAL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        started_at TEXT,
        graded_at TEXT,
        worker_id TEXT,
        attempts_run INTEGER NOT NULL DEFAULT 0,
        late_days INTEGER NOT NULL DEFAULT 0,
        late_penalty REAL NOT NULL DEFAULT 0,
        retry_at TEXT,
        infra_retries INTEGER NOT NULL DEFAULT 0,
        infra_error TEXT,
        regrade_pending_by INTEGER REFERENCES users (id)
      );
      INSERT INTO submissions_rebuilt (id, user_id, exercise_id, answer, status, result, score, max_score, created_at,
                                       started_at, graded_at, worker_id, attempts_run, late_days, late_penalty)
        SELECT id, user_id, exercise_id, answer, status, result, score, max_score, created_at,
               started_at, graded_at, worker_id, attempts_run, late_days, late_penalty FROM submissions;
      DROP TABLE submissions;
      ALTER TABLE submissions_rebuilt RENAME TO submissions;
      CREATE INDEX submissions_user_exercise ON submissions (user_id, exercise_id, id);
      CREATE INDEX submissions_queue ON submissions (status, id);
      CREATE INDEX submissions_retry_at ON submissions (retry_at) WHERE retry_at IS NOT NULL;
    `,
  },
  {
    id: "20261206_0401_login_reservations_anonymous_sessions",
    sql: `
      -- A sign-in attempt is recorded before its password is checked and taken back on success; the
      -- attempt column ties an attempt's rows together so they can be.
      ALTER TABLE login_failures ADD COLUMN attempt TEXT;
      CREATE INDEX login_failures_attempt ON login_failures (attempt);

      -- Sessions are stored only once someone signs in. Rows made for anonymous visitors (one per
      -- cookieless request, kept 7 days) are dropped: they hold nothing but a CSRF token.
      DELETE FROM sessions WHERE json_extract(data, '$.passport.user') IS NULL;
    `,
  },
  {
    id: "20261206_0501_grading_queue_generations",
    sql: `
      -- The grading queue on either backend (server/queue/):
      --   queue_generation      counts the times the submission was put in line; a trigger bumps it
      --                         whenever the status becomes 'queued', so a grading of an earlier turn
      --                         (a redelivered job, a result that arrives after a regrade) is told apart
      --   dispatched_generation the turn last handed to Redis (NULL: not handed over; SQLite never sets it)
      --   low_priority          1 for bulk regrades: graded after every student's own submissions
      --   queued_at             when it last joined the line (the staff page's and the metrics' oldest job age)
      ALTER TABLE submissions ADD COLUMN queue_generation INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE submissions ADD COLUMN dispatched_generation INTEGER;
      ALTER TABLE submissions ADD COLUMN low_priority INTEGER NOT NULL DEFAULT 0 CHECK (low_priority IN (0, 1));
      ALTER TABLE submissions ADD COLUMN queued_at TEXT;
      UPDATE submissions SET queued_at = created_at WHERE status = 'queued';
      CREATE TRIGGER submissions_queue_generation AFTER UPDATE OF status ON submissions
        WHEN NEW.status = 'queued' AND OLD.status != 'queued'
        BEGIN
          UPDATE submissions SET queue_generation = queue_generation + 1, queued_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
        END;
      CREATE TRIGGER submissions_queued_at AFTER INSERT ON submissions
        WHEN NEW.status = 'queued'
        BEGIN
          UPDATE submissions SET queued_at = NEW.created_at WHERE id = NEW.id;
        END;
      -- A student's load (their jobs ahead and recent submissions) is counted per user.
      CREATE INDEX submissions_user_id ON submissions (user_id, id);
    `,
  },
  {
    id: "20261206_0801_rollout_runs",
    sql: `
      -- Interactive ramp days (the rollout simulator): a run is its seed and the decisions taken, in
      -- order, as JSON; the minutes are replayed from those, never stored. result is the GradingResult
      -- once the run is over (NULL while it runs).
      CREATE TABLE rollout_runs (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        exercise_id TEXT NOT NULL,
        seed INTEGER NOT NULL,
        decisions TEXT NOT NULL DEFAULT '[]',
        result TEXT,
        score REAL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE INDEX rollout_runs_user_exercise ON rollout_runs (user_id, exercise_id, id);
    `,
  },
  {
    id: "20261206_0901_lti",
    sql: `
      -- LTI 1.3 platforms (an LMS registration: one issuer and the client id it gave Flagship).
      --   lms_origin  where the LMS pages that frame Flagship live (CSP frame-ancestors); the issuer's
      --               origin when empty (Canvas's issuer is not the address its pages are served from)
      CREATE TABLE lti_platforms (
        id INTEGER PRIMARY KEY,
        issuer TEXT NOT NULL,
        client_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        auth_url TEXT NOT NULL,
        token_url TEXT NOT NULL,
        jwks_url TEXT NOT NULL,
        lms_origin TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (issuer, client_id)
      );
      CREATE TABLE lti_deployments (
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        deployment_id TEXT NOT NULL,
        PRIMARY KEY (platform_id, deployment_id)
      );

      -- The tool's own signing keys. The newest unretired key signs; a retired key stays in /lti/jwks
      -- until its grace period ends, so tokens it signed shortly before a rotation still verify.
      CREATE TABLE lti_keys (
        kid TEXT PRIMARY KEY,
        public_jwk TEXT NOT NULL,
        private_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER
      );

      -- OIDC login states: single use (used_at) and short lived (expires_at, epoch ms). login keeps the
      -- login initiation's parameters so a launch whose cookie was blocked can start again in a new window.
      CREATE TABLE lti_states (
        state TEXT PRIMARY KEY,
        nonce TEXT NOT NULL,
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        login TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE TABLE lti_nonces (
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        nonce TEXT NOT NULL,
        used_at INTEGER NOT NULL,
        PRIMARY KEY (platform_id, nonce)
      );

      -- Who an LMS user is here: (issuer, sub) names one Flagship user.
      CREATE TABLE lti_user_links (
        issuer TEXT NOT NULL,
        sub TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (issuer, sub)
      );
      CREATE INDEX lti_user_links_user ON lti_user_links (user_id);

      -- A course in an LMS, with the service endpoints its launches named (AGS line items, NRPS roster).
      CREATE TABLE lti_contexts (
        id INTEGER PRIMARY KEY,
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        deployment_id TEXT NOT NULL,
        context_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        lineitems_url TEXT,
        ags_scopes TEXT NOT NULL DEFAULT '',
        memberships_url TEXT,
        UNIQUE (platform_id, context_id)
      );
      -- Membership as launches and roster syncs saw it; active = 0 once a sync no longer lists them.
      CREATE TABLE lti_context_members (
        context_id INTEGER NOT NULL REFERENCES lti_contexts (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        PRIMARY KEY (context_id, user_id)
      );
      CREATE TABLE lti_resource_links (
        context_id INTEGER NOT NULL REFERENCES lti_contexts (id),
        resource_link_id TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (context_id, resource_link_id)
      );
      -- One AGS line item per course and graded exercise.
      CREATE TABLE lti_line_items (
        context_id INTEGER NOT NULL REFERENCES lti_contexts (id),
        exercise_id TEXT NOT NULL,
        lineitem_url TEXT NOT NULL,
        PRIMARY KEY (context_id, exercise_id)
      );

      -- Scores to send, durable: a row is written when a student's score changes and marked sent once
      -- the platform took it. At most one pending row per course, student and exercise: a newer change
      -- replaces the pending score (and its created_at, the score's AGS timestamp). next_attempt_at
      -- (epoch ms) is pushed back after each failure.
      CREATE TABLE lti_outbox (
        id INTEGER PRIMARY KEY,
        context_id INTEGER NOT NULL REFERENCES lti_contexts (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        exercise_id TEXT NOT NULL,
        score_given REAL NOT NULL,
        score_maximum REAL NOT NULL,
        grading_progress TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        sent_at TEXT
      );
      CREATE UNIQUE INDEX lti_outbox_one_pending ON lti_outbox (context_id, user_id, exercise_id) WHERE status = 'pending';
      CREATE INDEX lti_outbox_latest ON lti_outbox (context_id, user_id, exercise_id, id);

      -- A verified launch waiting for the browser that started it: the launch POST (cross-site, so it
      -- may carry no cookie) verifies and stores it; a same-browser GET with the state cookie claims it.
      CREATE TABLE lti_launches (
        ticket TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        claims TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );

      -- A deep-linking request waiting for the instructor's choice (single use, short lived).
      CREATE TABLE lti_deep_link_requests (
        id TEXT PRIMARY KEY,
        platform_id INTEGER NOT NULL REFERENCES lti_platforms (id),
        deployment_id TEXT NOT NULL,
        return_url TEXT NOT NULL,
        data TEXT,
        user_id INTEGER NOT NULL REFERENCES users (id),
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
    `,
  },
];
