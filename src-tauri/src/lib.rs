//! The desktop shell: the only code in Hearth that knows about Tauri.
//!
//! It opens the store at start-up (a failure is kept and shown by the UI, never a crash), registers
//! the typed commands in [`commands`], and exports their TypeScript bindings. Everything the
//! commands do is a hearth-core operation; nothing here touches SQL or files.

mod commands;
mod state;

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

pub use commands::DataChanged;
pub use state::AppState;

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/ipc/bindings.ts";

/// Every command and event the UI may use; the single source of the generated bindings.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::app::app_status,
            commands::members::members_list,
            commands::members::member_get,
            commands::members::member_timeline,
            commands::members::member_create,
            commands::members::member_update,
            commands::members::members_delete,
            commands::members::members_restore,
            commands::members::members_tag,
            commands::members::members_duplicates,
            commands::members::members_merge,
            commands::members::members_undo_merge,
            commands::members::members_erase,
            commands::members::members_trash_count,
            commands::members::members_empty_trash,
            commands::members::tags_list,
            commands::members::tag_rename,
            commands::members::tag_delete,
            commands::members::tag_style,
            commands::members::demo_load,
            commands::segments::segments_list,
            commands::segments::segment_save,
            commands::segments::segment_delete,
            commands::segments::segment_changes,
            commands::segments::segment_add_members,
            commands::segments::segment_remove_members,
            commands::segments::members_set_roles,
            commands::segments::members_facets,
            commands::segments::custom_fields_list,
            commands::segments::custom_field_create,
            commands::segments::custom_field_delete,
            commands::segments::custom_field_restore,
            commands::files::import_pick_file,
            commands::files::import_preview,
            commands::files::import_apply,
            commands::files::import_undo,
            commands::files::import_history,
            commands::files::import_flags,
            commands::files::import_presets,
            commands::files::import_preset_save,
            commands::files::import_preset_delete,
            commands::files::members_export,
            commands::files::task_cancel,
            commands::events::events_list,
            commands::events::event_get,
            commands::events::event_create,
            commands::events::event_update,
            commands::events::registrations_list,
            commands::events::registrations_add,
            commands::events::registration_set_status,
            commands::events::registrations_remove,
            commands::events::door_search,
            commands::events::door_others,
            commands::events::door_check_in,
            commands::events::door_undo,
            commands::events::door_walk_in_new,
            commands::events::event_mark_no_shows,
            commands::events::event_undo_no_shows,
            commands::events::jielong_preview,
            commands::events::jielong_apply,
            commands::events::jielong_undo,
            commands::events::registrations_import_undo,
            commands::events::registrations_import_preview,
            commands::events::registrations_import_apply,
            commands::events::event_print_preview,
            commands::events::event_print,
            commands::events::event_export_attendees,
            commands::events::event_export_ics,
            commands::events::event_outcome,
            commands::events::feedback_list,
            commands::events::feedback_add,
            commands::events::feedback_remove,
            commands::events::feedback_import,
            commands::engagement::activity_kinds,
            commands::engagement::activity_kind_save,
            commands::engagement::activity_log,
            commands::engagement::activity_undo,
            commands::engagement::points_adjust,
            commands::engagement::member_engagement,
            commands::engagement::leaderboard,
            commands::lifecycle::lifecycle_rules,
            commands::lifecycle::lifecycle_set_rules,
            commands::lifecycle::lifecycle_recompute,
            commands::lifecycle::member_lifecycle,
            commands::lifecycle::stage_override,
            commands::lifecycle::opinion_leader_set,
            commands::lifecycle::stage_history,
            commands::lifecycle::stage_counts,
            commands::lifecycle::stage_slipping,
            commands::rewards::badges_list,
            commands::rewards::badge_save,
            commands::rewards::badges_evaluate,
            commands::rewards::member_badges,
            commands::rewards::badge_award,
            commands::rewards::badge_revoke,
            commands::rewards::badge_award_undo,
            commands::rewards::levels_list,
            commands::rewards::levels_save,
            commands::rewards::rewards_list,
            commands::rewards::reward_save,
            commands::rewards::redeem,
            commands::rewards::redeem_undo,
            commands::rewards::redemptions_list,
            commands::rewards::invite_log,
            commands::rewards::engagement_settings_get,
            commands::rewards::engagement_settings_set,
            commands::rewards::points_history,
            commands::credit::credit_config,
            commands::credit::credit_set_start_score,
            commands::credit::credit_rule_save,
            commands::credit::credit_tiers_save,
            commands::credit::channel_save,
            commands::credit::credit_deduct,
            commands::credit::credit_undo_deduct,
            commands::credit::member_credit,
            commands::credit::credit_scores,
            commands::credit::credit_appeal_file,
            commands::credit::credit_appeal_decide,
            commands::credit::credit_appeals_pending,
            commands::credit::credit_needing_action,
            commands::content::content_calendar,
            commands::content::content_gaps,
            commands::content::content_week_counts,
            commands::content::content_create,
            commands::content::content_update,
            commands::content::content_delete,
            commands::content::content_move,
            commands::content::content_mark_posted,
            commands::content::content_unmark_posted,
            commands::content::channels_list,
            commands::content::channel_create,
            commands::content::channel_update,
            commands::content::channel_delete,
            commands::content::content_slots,
            commands::content::content_slot_create,
            commands::content::content_slot_delete,
            commands::content::content_plan_ahead,
            commands::content::content_sops,
            commands::content::content_sop_create,
            commands::content::content_sop_apply,
            commands::content::content_sop_update,
            commands::content::content_sop_delete,
            commands::content::content_sop_preview,
            commands::content::content_export,
            commands::content::content_restore,
            commands::content::library_list,
            commands::content::library_create,
            commands::content::library_update,
            commands::content::library_delete,
            commands::content::library_restore,
            commands::content::library_keep,
            commands::content::library_plan_again,
            commands::content::library_channel_history,
            commands::campaigns::plan_show,
            commands::campaigns::plan_template,
            commands::campaigns::plan_save_positioning,
            commands::campaigns::goal_add,
            commands::campaigns::goal_delete,
            commands::campaigns::goal_reading_add,
            commands::campaigns::goal_members,
            commands::campaigns::metric_members,
            commands::campaigns::goal_save_segment,
            commands::campaigns::campaigns_list,
            commands::campaigns::campaign_get,
            commands::campaigns::campaign_create,
            commands::campaigns::campaign_set_status,
            commands::campaigns::campaign_save_retrospective,
            commands::campaigns::task_add,
            commands::campaigns::task_set_status,
            commands::campaigns::task_check,
            commands::campaigns::task_template_apply,
            commands::campaigns::partners_list,
            commands::campaigns::partner_save,
            commands::campaigns::partner_link,
            commands::campaigns::budget_line_save,
            commands::campaigns::funding_add,
            commands::campaigns::campaign_report,
            commands::campaigns::today_matter_segment,
            commands::campaigns::goal_update,
            commands::campaigns::campaign_update,
            commands::campaigns::campaign_delete,
            commands::campaigns::task_update,
            commands::campaigns::task_delete,
            commands::campaigns::partner_delete,
            commands::campaigns::partner_restore,
            commands::campaigns::budget_line_delete,
            commands::campaigns::funding_update,
            commands::campaigns::funding_delete,
            commands::campaigns::goal_members_page,
            commands::dashboards::dashboard_metrics,
            commands::dashboards::dashboard_chart,
            commands::dashboards::dashboard_members,
            commands::dashboards::dashboard_save_segment,
            commands::dashboards::dashboard_chart_export,
            commands::dashboards::dashboard_report,
            commands::today::today_list,
            commands::today::birthdays,
            commands::today::followup_add,
            commands::today::followup_done,
            commands::today::member_followups,
            commands::today::activity_import_preview,
            commands::today::activity_import_apply,
            commands::today::activity_import_undo,
            commands::settings::settings_get,
            commands::settings::settings_update,
            commands::snapshots::snapshots_list,
            commands::snapshots::snapshot_create,
            commands::snapshots::snapshot_verify,
            commands::snapshots::snapshot_restore,
            commands::snapshots::snapshot_settings,
            commands::snapshots::snapshot_second_folder,
            commands::snapshots::startup_choose,
        ])
        .events(collect_events![DataChanged, commands::files::TaskProgress])
        // Ids and counts stay far below 2^53.
        .dangerously_cast_bigints_to_number()
}

/// The bindings as TypeScript source.
pub fn bindings_typescript() -> String {
    let dir = std::env::temp_dir().join(format!("hearth-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bindings.ts");
    specta_builder()
        .export(
            Typescript::default().header(
                "// GENERATED by src-tauri (`cargo test -p hearth-desktop`); do not edit.\n",
            ),
            &file,
        )
        .expect("bindings export");
    let text = std::fs::read_to_string(&file).expect("read bindings");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

pub fn run() {
    let builder = specta_builder();
    let mut app = tauri::Builder::default();
    // First: a second launch on the manager's own database (the app-data folder) hands over to
    // the running one (which comes to the front) and exits here, before it opens the database.
    // A launch pointed at another folder (`HEARTH_DATA_DIR`: a second community, a script, the
    // e2e suite) is its own window; two processes on one file still get the handled busy error.
    if std::env::var_os("HEARTH_DATA_DIR").is_none() {
        app = app.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app)
        }));
    }
    app.plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            use tauri::Manager;
            // The fast checks run here, before the window; a big database's full check runs on a
            // thread once the window is up.
            app.manage(AppState::open());
            builder.mount_events(app);
            check_in_background(app.handle().clone());
            expire_tags_hourly(app.handle().clone());
            recompute_stages_daily(app.handle().clone());
            snapshot_half_hourly(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Hearth window could not start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                snapshot_on_quit(app);
            }
        });
}

/// Brings the main window to the front (a second launch of Hearth asked for it).
fn focus_main_window(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The full `quick_check` that opening left for later (a big database), on a thread of its own
/// so the window is usable meanwhile; the boards are told when it ends, and the window reports
/// damage it found.
pub(crate) fn check_in_background(app: tauri::AppHandle) {
    use tauri::Manager;
    if !app.state::<AppState>().checking() {
        return;
    }
    std::thread::spawn(move || {
        app.state::<AppState>().run_pending_check();
        commands::changed(&app, commands::Entity::Snapshots);
    });
}

/// Every 30 minutes, a verified snapshot when something was written since the last one, on a
/// thread of its own: the copy runs on its own read connection, so no command waits for it.
fn snapshot_half_hourly(app: tauri::AppHandle) {
    use tauri::Manager;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(30 * 60));
        match app
            .state::<AppState>()
            .snapshot(hearth_core::domain::SnapshotReason::Timer, true)
        {
            Ok(Some(_)) => commands::changed(&app, commands::Entity::Snapshots),
            Ok(None) => {}
            Err(e) => eprintln!("hearth: snapshot: {}", e.message),
        }
    });
}

/// The window is closing: a last snapshot when something changed since the previous one.
fn snapshot_on_quit(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Err(e) = app
        .state::<AppState>()
        .snapshot(hearth_core::domain::SnapshotReason::Quit, true)
    {
        eprintln!("hearth: snapshot on quit: {}", e.message);
    }
}

/// Lifecycle stages move with time alone (a quiet member turns dormant), so once a day the core
/// recomputes them all: at start-up, on a background thread so the window opens at once, then
/// whenever an hourly check finds the day has changed. The boards are told when it ran.
fn recompute_stages_daily(app: tauri::AppHandle) {
    use tauri::Manager;
    std::thread::spawn(move || loop {
        let Ok(ctx) = app.state::<AppState>().ctx() else {
            return;
        };
        match hearth_core::ops::lifecycle::recompute_if_stale(&ctx) {
            Ok(Some(_)) => commands::changed(&app, commands::Entity::Engagement),
            Ok(None) => {}
            Err(e) => eprintln!("hearth: recomputing stages: {}", e.message),
        }
        drop(ctx);
        std::thread::sleep(std::time::Duration::from_secs(3600));
    });
}

/// Campaign tags fall off on their day even when the app stays open overnight: once an hour the
/// shell asks the core to expire them and tells the boards when any went.
fn expire_tags_hourly(app: tauri::AppHandle) {
    use tauri::Manager;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
        let Ok(ctx) = app.state::<AppState>().ctx() else {
            return;
        };
        match hearth_core::ops::members::expire_tags(&ctx) {
            Ok(0) => {}
            Ok(_) => commands::changed(&app, commands::Entity::Members),
            Err(e) => eprintln!("hearth: expiring tags: {}", e.message),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed bindings must match the Rust types. Run with `UPDATE_BINDINGS=1` to rewrite
    /// them after changing a command or a type.
    #[test]
    fn bindings_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let fresh = bindings_typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write bindings");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p hearth-desktop bindings` and commit it",
            path.display()
        );
    }

    /// The policy the built app injects, as `directive -> sources`.
    fn built_csp() -> std::collections::BTreeMap<String, Vec<String>> {
        let context: tauri::Context<tauri::Wry> = tauri::generate_context!();
        let security = &context.config().app.security;
        assert!(
            matches!(
                security.dangerous_disable_asset_csp_modification,
                tauri::utils::config::DisabledCspModificationKind::Flag(false)
            ),
            "Tauri must keep adding its nonces and hashes to the CSP"
        );
        assert!(
            security.dev_csp.is_none(),
            "no separate, looser policy in development"
        );
        let csp = security
            .csp
            .as_ref()
            .expect("tauri.conf.json sets a CSP")
            .to_string();
        csp.split(';')
            .filter(|d| !d.trim().is_empty())
            .map(|d| {
                let mut words = d.split_whitespace().map(str::to_owned);
                let name = words.next().unwrap_or_default();
                (name, words.collect())
            })
            .collect()
    }

    #[test]
    fn the_built_app_has_a_strict_content_security_policy() {
        let csp = built_csp();
        let sources = |d: &str| csp.get(d).cloned().unwrap_or_default();
        assert_eq!(sources("default-src"), ["'self'"]);
        assert_eq!(
            sources("script-src"),
            ["'self'"],
            "scripts only from the app itself"
        );
        assert_eq!(sources("object-src"), ["'none'"]);
        assert_eq!(sources("base-uri"), ["'none'"]);
        assert_eq!(sources("form-action"), ["'none'"]);
        for (directive, list) in &csp {
            for source in list {
                assert!(
                    !matches!(
                        source.as_str(),
                        "'unsafe-eval'" | "'wasm-unsafe-eval'" | "*" | "http:" | "https:" | "blob:"
                    ),
                    "{directive} allows {source}"
                );
                // No remote origin: only the app's own IPC endpoints.
                if source.contains("://") {
                    assert_eq!(
                        source, "http://ipc.localhost",
                        "{directive} allows the remote origin {source}"
                    );
                }
            }
        }
        assert!(
            !sources("script-src").contains(&"'unsafe-inline'".to_owned()),
            "no inline scripts"
        );
    }

    #[test]
    fn the_only_capability_is_the_main_window_with_change_events() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("capabilities folder")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1, "one capability file: {files:?}");
        let capability: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&files[0]).expect("read"))
                .expect("capability JSON");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert!(capability.get("webviews").is_none());
        assert!(
            capability.get("remote").is_none(),
            "no remote URL gets the IPC"
        );
        let permissions: Vec<&str> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().expect("plain permission names"))
            .collect();
        assert_eq!(
            permissions,
            ["core:event:allow-listen", "core:event:allow-unlisten"],
            "the webview gets change events and nothing else: dialogs, opening files and all file \
             access run in Rust"
        );
    }
}
