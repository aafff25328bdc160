import Storage

/// aibridge-query's tables, as numbered migrations (never edit a shipped one).
///
/// The spec's data model: `interception`, `token_usage`, `user_prompt` (at most one per
/// interception), `tool_usage`. Ids are lowercase UUID text (as coder writes them), times
/// INTEGER microseconds since 1970 (PostgreSQL's precision; exact keyset comparisons).
/// Rows are written by `start` (an interception, `ended_at` NULL) and `finish` (ended_at
/// and the children, one transaction); every query reads ended rows only.
///
/// `interception_session` (version 2) holds every column a session filter or grouping
/// reads, so sessions grouped at query time never read the table itself.
///
/// Derived at insert: `session_id` = client session id, else thread root, else the
/// interception's id, and `thread_key` = thread root, else the id (what `threads` counts).
///
/// Kept by `finish` in the same transaction, so lists over a million interceptions do not
/// scan them:
/// - `session`: one row per (initiator, session id) over its ended interceptions: start,
///   end, the earliest interception (client, metadata), distinct providers and models
///   (sorted JSON arrays), thread count, token sums, the newest prompt's id and time.
/// - `interception_tally`: ended interceptions per (initiator, provider, model, client or
///   `Unknown`): `count` without a date filter, and `/models`.
/// - `initiator_tally` (version 2; `session_tally` before): ended interceptions and
///   sessions per initiator (`count` without filters but initiators).
/// - `session_facet` (version 3): the earliest start of each (initiator, session id,
///   provider, model, client or `Unknown`): sessions filtered by provider, model or client
///   (no date) are grouped from these rows rather than from interceptions.
/// - `app_user`: the names of the users the service has seen (identity headers), for
///   `initiator:<name>` and the answers' `username`.
///
/// On PostgreSQL (schema `aibridge_query`) version 1 creates the tables as SQLite has them
/// after version 3 (versions 2 and 3 have nothing left to do there): `BIGINT` for every
/// integer, text compared bytewise (`COLLATE "C"`, SQLite's order, so pages and keyset
/// cursors agree on both), and `tool_usage.seq` (identity) where SQLite orders by `rowid`.
enum Schema {
    /// The numbered schema migrations.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "interceptions", sqlite: """
            CREATE TABLE interception (
                id TEXT PRIMARY KEY,
                initiator_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER,
                metadata TEXT NOT NULL DEFAULT '{}',
                api_key_id TEXT,
                client TEXT,
                client_session_id TEXT,
                thread_parent_id TEXT,
                thread_root_id TEXT,
                session_id TEXT NOT NULL,
                thread_key TEXT NOT NULL
            );
            CREATE INDEX interception_order ON interception(started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
            CREATE INDEX interception_initiator ON interception(initiator_id, started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
            CREATE INDEX interception_model ON interception(model, started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
            CREATE INDEX interception_session ON interception(initiator_id, session_id, thread_key) WHERE ended_at IS NOT NULL;

            CREATE TABLE token_usage (
                id TEXT PRIMARY KEY,
                interception_id TEXT NOT NULL,
                provider_response_id TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}',
                created_at INTEGER NOT NULL
            );
            CREATE INDEX token_usage_interception ON token_usage(interception_id, created_at, id);

            CREATE TABLE user_prompt (
                id TEXT PRIMARY KEY,
                interception_id TEXT NOT NULL UNIQUE,
                provider_response_id TEXT NOT NULL,
                prompt TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}',
                created_at INTEGER NOT NULL
            );

            CREATE TABLE tool_usage (
                id TEXT PRIMARY KEY,
                interception_id TEXT NOT NULL,
                provider_response_id TEXT NOT NULL,
                provider_tool_call_id TEXT NOT NULL,
                server_url TEXT,
                tool TEXT NOT NULL,
                input TEXT NOT NULL,
                injected INTEGER NOT NULL,
                invocation_error TEXT,
                metadata TEXT NOT NULL DEFAULT '{}',
                created_at INTEGER NOT NULL
            );
            CREATE INDEX tool_usage_interception ON tool_usage(interception_id, created_at, id);
            CREATE INDEX tool_usage_call ON tool_usage(provider_tool_call_id, created_at);

            CREATE TABLE session (
                initiator_id TEXT NOT NULL,
                session_id TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER NOT NULL,
                first_interception_id TEXT NOT NULL,
                providers TEXT NOT NULL,
                models TEXT NOT NULL,
                threads INTEGER NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                last_prompt_id TEXT,
                last_prompt_at INTEGER,
                PRIMARY KEY (initiator_id, session_id)
            ) WITHOUT ROWID;
            CREATE INDEX session_order ON session(started_at DESC, session_id DESC, initiator_id DESC);
            CREATE INDEX session_initiator ON session(initiator_id, started_at DESC, session_id DESC);
            CREATE INDEX session_id ON session(session_id);

            CREATE TABLE interception_tally (
                initiator_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                client TEXT NOT NULL,
                interceptions INTEGER NOT NULL,
                PRIMARY KEY (initiator_id, provider, model, client)
            ) WITHOUT ROWID;
            CREATE INDEX interception_tally_model ON interception_tally(model);

            CREATE TABLE session_tally (
                initiator_id TEXT PRIMARY KEY,
                sessions INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE app_user (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                seen_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX app_user_name ON app_user(name, seen_at);
            """, postgres: Self.postgresTables),
        Migration(version: 2, name: "covering session index, initiator tallies", sqlite: """
            DROP INDEX interception_session;
            CREATE INDEX interception_session
                ON interception(initiator_id, session_id, thread_key, started_at, provider, model, client) WHERE ended_at IS NOT NULL;
            CREATE TABLE initiator_tally (
                initiator_id TEXT PRIMARY KEY,
                interceptions INTEGER NOT NULL,
                sessions INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO initiator_tally (initiator_id, interceptions, sessions)
                SELECT s.initiator_id,
                       COALESCE((SELECT SUM(t.interceptions) FROM interception_tally t WHERE t.initiator_id = s.initiator_id), 0),
                       s.sessions
                FROM session_tally s;
            DROP TABLE session_tally;
            """, postgres: Self.postgresNothingLeft),
        Migration(version: 3, name: "session facets", sqlite: """
            CREATE TABLE session_facet (
                initiator_id TEXT NOT NULL,
                session_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                client TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                PRIMARY KEY (initiator_id, session_id, provider, model, client)
            ) WITHOUT ROWID;
            CREATE INDEX session_facet_model ON session_facet(model, initiator_id, session_id, started_at);
            CREATE INDEX session_facet_provider ON session_facet(provider, initiator_id, session_id, started_at);
            INSERT INTO session_facet (initiator_id, session_id, provider, model, client, started_at)
                SELECT initiator_id, session_id, provider, model, COALESCE(client, 'Unknown'), MIN(started_at)
                FROM interception WHERE ended_at IS NOT NULL
                GROUP BY initiator_id, session_id, provider, model, COALESCE(client, 'Unknown');
            """, postgres: Self.postgresNothingLeft),
    ]

    /// Versions 2 and 3 on PostgreSQL: version 1 made their tables and indexes already.
    static let postgresNothingLeft = "SELECT 1"

    /// Version 1 on PostgreSQL: every table and index of SQLite's versions 1 to 3.
    static let postgresTables = """
        CREATE TABLE interception (
            id TEXT COLLATE "C" PRIMARY KEY,
            initiator_id TEXT COLLATE "C" NOT NULL,
            provider TEXT COLLATE "C" NOT NULL,
            model TEXT COLLATE "C" NOT NULL,
            started_at BIGINT NOT NULL,
            ended_at BIGINT,
            metadata TEXT NOT NULL DEFAULT '{}',
            api_key_id TEXT,
            client TEXT COLLATE "C",
            client_session_id TEXT COLLATE "C",
            thread_parent_id TEXT COLLATE "C",
            thread_root_id TEXT COLLATE "C",
            session_id TEXT COLLATE "C" NOT NULL,
            thread_key TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX interception_order ON interception(started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
        CREATE INDEX interception_initiator ON interception(initiator_id, started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
        CREATE INDEX interception_model ON interception(model, started_at DESC, id DESC) WHERE ended_at IS NOT NULL;
        CREATE INDEX interception_session
            ON interception(initiator_id, session_id, thread_key, started_at, provider, model, client) WHERE ended_at IS NOT NULL;

        CREATE TABLE token_usage (
            id TEXT COLLATE "C" PRIMARY KEY,
            interception_id TEXT COLLATE "C" NOT NULL,
            provider_response_id TEXT NOT NULL,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at BIGINT NOT NULL
        );
        CREATE INDEX token_usage_interception ON token_usage(interception_id, created_at, id);

        CREATE TABLE user_prompt (
            id TEXT COLLATE "C" PRIMARY KEY,
            interception_id TEXT COLLATE "C" NOT NULL UNIQUE,
            provider_response_id TEXT NOT NULL,
            prompt TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at BIGINT NOT NULL
        );

        CREATE TABLE tool_usage (
            id TEXT COLLATE "C" PRIMARY KEY,
            seq BIGINT GENERATED ALWAYS AS IDENTITY,
            interception_id TEXT COLLATE "C" NOT NULL,
            provider_response_id TEXT NOT NULL,
            provider_tool_call_id TEXT COLLATE "C" NOT NULL,
            server_url TEXT,
            tool TEXT NOT NULL,
            input TEXT NOT NULL,
            injected BIGINT NOT NULL,
            invocation_error TEXT,
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at BIGINT NOT NULL
        );
        CREATE INDEX tool_usage_interception ON tool_usage(interception_id, created_at, id);
        CREATE INDEX tool_usage_call ON tool_usage(provider_tool_call_id, created_at, seq);

        CREATE TABLE session (
            initiator_id TEXT COLLATE "C" NOT NULL,
            session_id TEXT COLLATE "C" NOT NULL,
            started_at BIGINT NOT NULL,
            ended_at BIGINT NOT NULL,
            first_interception_id TEXT COLLATE "C" NOT NULL,
            providers TEXT NOT NULL,
            models TEXT NOT NULL,
            threads BIGINT NOT NULL,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            last_prompt_id TEXT COLLATE "C",
            last_prompt_at BIGINT,
            PRIMARY KEY (initiator_id, session_id)
        );
        CREATE INDEX session_order ON session(started_at DESC, session_id DESC, initiator_id DESC);
        CREATE INDEX session_initiator ON session(initiator_id, started_at DESC, session_id DESC);
        CREATE INDEX session_id ON session(session_id);

        CREATE TABLE interception_tally (
            initiator_id TEXT COLLATE "C" NOT NULL,
            provider TEXT COLLATE "C" NOT NULL,
            model TEXT COLLATE "C" NOT NULL,
            client TEXT COLLATE "C" NOT NULL,
            interceptions BIGINT NOT NULL,
            PRIMARY KEY (initiator_id, provider, model, client)
        );
        CREATE INDEX interception_tally_model ON interception_tally(model);

        CREATE TABLE initiator_tally (
            initiator_id TEXT COLLATE "C" PRIMARY KEY,
            interceptions BIGINT NOT NULL,
            sessions BIGINT NOT NULL
        );

        CREATE TABLE session_facet (
            initiator_id TEXT COLLATE "C" NOT NULL,
            session_id TEXT COLLATE "C" NOT NULL,
            provider TEXT COLLATE "C" NOT NULL,
            model TEXT COLLATE "C" NOT NULL,
            client TEXT COLLATE "C" NOT NULL,
            started_at BIGINT NOT NULL,
            PRIMARY KEY (initiator_id, session_id, provider, model, client)
        );
        CREATE INDEX session_facet_model ON session_facet(model, initiator_id, session_id, started_at);
        CREATE INDEX session_facet_provider ON session_facet(provider, initiator_id, session_id, started_at);

        CREATE TABLE app_user (
            id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL,
            seen_at BIGINT NOT NULL
        );
        CREATE INDEX app_user_name ON app_user(name, seen_at);
        """
}
