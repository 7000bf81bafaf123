//! Forward-only migrations, embedded in the binary, keyed on `PRAGMA user_version`.
//!
//! Each migration runs in its own transaction together with the `user_version` bump and a row in
//! `schema_migrations` holding its checksum. On every open the checksums of applied migrations are
//! compared with the embedded SQL: an edited past migration is refused loudly, never re-run.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, ErrorCode, Result};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The schema history. Append only: never edit or reorder an entry that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "members",
        sql: include_str!("migrations/0001_members.sql"),
    },
    Migration {
        version: 2,
        name: "profiles_merges",
        sql: include_str!("migrations/0002_profiles_merges.sql"),
    },
    Migration {
        version: 3,
        name: "search_index",
        sql: include_str!("migrations/0003_search_index.sql"),
    },
    Migration {
        version: 4,
        name: "import_batches",
        sql: include_str!("migrations/0004_import_batches.sql"),
    },
    Migration {
        version: 5,
        name: "segments",
        sql: include_str!("migrations/0005_segments.sql"),
    },
    Migration {
        version: 6,
        name: "custom_fields",
        sql: include_str!("migrations/0006_custom_fields.sql"),
    },
    Migration {
        version: 7,
        name: "tag_styles",
        sql: include_str!("migrations/0007_tag_styles.sql"),
    },
    Migration {
        version: 8,
        name: "events",
        sql: include_str!("migrations/0008_events.sql"),
    },
    Migration {
        version: 9,
        name: "engagement",
        sql: include_str!("migrations/0009_engagement.sql"),
    },
    Migration {
        version: 10,
        name: "credit",
        sql: include_str!("migrations/0010_credit.sql"),
    },
    Migration {
        version: 11,
        name: "lifecycle",
        sql: include_str!("migrations/0011_lifecycle.sql"),
    },
    Migration {
        version: 12,
        name: "rewards",
        sql: include_str!("migrations/0012_rewards.sql"),
    },
    Migration {
        version: 13,
        name: "today",
        sql: include_str!("migrations/0013_today.sql"),
    },
    Migration {
        version: 14,
        name: "segment_members",
        sql: include_str!("migrations/0014_segment_members.sql"),
    },
    Migration {
        version: 15,
        name: "search_speed",
        sql: include_str!("migrations/0015_search_speed.sql"),
    },
    Migration {
        version: 16,
        name: "points_balance",
        sql: include_str!("migrations/0016_points_balance.sql"),
    },
    Migration {
        version: 17,
        name: "bulk_logging",
        sql: include_str!("migrations/0017_bulk_logging.sql"),
    },
    Migration {
        version: 18,
        name: "import_flags",
        sql: include_str!("migrations/0018_import_flags.sql"),
    },
    Migration {
        version: 19,
        name: "content",
        sql: include_str!("migrations/0019_content.sql"),
    },
    Migration {
        version: 20,
        name: "campaigns",
        sql: include_str!("migrations/0020_campaigns.sql"),
    },
    Migration {
        version: 21,
        name: "rollups",
        sql: include_str!("migrations/0021_rollups.sql"),
    },
    Migration {
        version: 22,
        name: "content_library",
        sql: include_str!("migrations/0022_content_library.sql"),
    },
    Migration {
        version: 23,
        name: "plan_speed",
        sql: include_str!("migrations/0023_plan_speed.sql"),
    },
    Migration {
        version: 24,
        name: "dashboard_speed",
        sql: include_str!("migrations/0024_dashboard_speed.sql"),
    },
];

/// Applies every migration newer than the database's `user_version`.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version  INTEGER PRIMARY KEY,
             name     TEXT NOT NULL,
             checksum TEXT NOT NULL
         )",
    )?;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = migrations.last().map_or(0, |m| m.version);
    if current > latest {
        return Err(Error::new(
            ErrorCode::NewerSchema,
            format!("The database has schema version {current}; this Hearth knows up to {latest}"),
        )
        .with_param("version", current));
    }
    for m in migrations.iter().filter(|m| m.version <= current) {
        let stored: Option<String> = conn
            .query_row(
                "SELECT checksum FROM schema_migrations WHERE version = ?1",
                [m.version],
                |r| r.get(0),
            )
            .optional()?;
        if stored.as_deref() != Some(checksum(m.sql).as_str()) {
            return Err(Error::new(
                ErrorCode::MigrationEdited,
                format!(
                    "Migration {} ({}) differs from the one applied to this database",
                    m.version, m.name
                ),
            )
            .with_param("version", m.version));
        }
    }
    for m in migrations.iter().filter(|m| m.version > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, checksum(m.sql)],
        )?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

/// FNV-1a 64 of the SQL text: enough to notice an edit, no dependency.
fn checksum(sql: &str) -> String {
    let hash = sql.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: Migration = Migration {
        version: 1,
        name: "one",
        sql: "CREATE TABLE a (x INTEGER);",
    };
    const V2: Migration = Migration {
        version: 2,
        name: "two",
        sql: "CREATE TABLE b (y INTEGER);",
    };

    fn version(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn applies_in_order_and_only_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &[V1]).unwrap();
        assert_eq!(version(&conn), 1);
        migrate(&mut conn, &[V1, V2]).unwrap();
        migrate(&mut conn, &[V1, V2]).unwrap();
        assert_eq!(version(&conn), 2);
    }

    #[test]
    fn an_edited_applied_migration_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &[V1]).unwrap();
        let edited = Migration {
            sql: "CREATE TABLE a (x INTEGER, z TEXT);",
            ..V1
        };
        let err = migrate(&mut conn, &[edited]).unwrap_err();
        assert_eq!(err.code, ErrorCode::MigrationEdited);
    }

    #[test]
    fn a_failing_migration_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = Migration {
            version: 1,
            name: "broken",
            sql: "CREATE TABLE a (x INTEGER); CREATE TABLE a (x INTEGER);",
        };
        assert!(migrate(&mut conn, &[broken]).is_err());
        assert_eq!(version(&conn), 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'a'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &[V1, V2]).unwrap();
        assert_eq!(
            migrate(&mut conn, &[V1]).unwrap_err().code,
            ErrorCode::NewerSchema
        );
    }
}
