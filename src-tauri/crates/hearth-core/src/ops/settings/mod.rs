//! Preferences: language and theme, persisted in the database.

use crate::domain::{Settings, SettingsPatch, Theme};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::settings as table;

pub const LOCALES: [&str; 2] = ["zh-CN", "en"];

pub fn get(ctx: &Ctx) -> Result<Settings> {
    ctx.store.read(|r| {
        let theme = match table::get(r, "theme")?.as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        };
        Ok(Settings {
            locale: table::get(r, "locale")?,
            theme,
        })
    })
}

pub fn update(ctx: &Ctx, patch: SettingsPatch) -> Result<Settings> {
    if let Some(locale) = patch.locale.as_deref() {
        if locale != "system" && !LOCALES.contains(&locale) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("unknown language {locale}"),
            )
            .with_field("locale")
            .with_param("value", locale));
        }
    }
    ctx.store.write(|w| {
        match patch.locale.as_deref() {
            Some("system") => table::remove(w, "locale")?,
            Some(locale) => table::set(w, "locale", locale)?,
            None => {}
        }
        if let Some(theme) = patch.theme {
            let value = match theme {
                Theme::System => "system",
                Theme::Light => "light",
                Theme::Dark => "dark",
            };
            table::set(w, "theme", value)?;
        }
        Ok(())
    })?;
    get(ctx)
}
