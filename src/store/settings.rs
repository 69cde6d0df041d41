//! Settings kept with the data: who the file is for.

use super::{Result, Store, StoreError};
use crate::model::UseMode;
use rusqlite::{OptionalExtension, params};
use std::str::FromStr;

impl Store {
    /// Who this file is for, as a person chose it; `None` until someone
    /// chooses (then [`Store::use_mode`] goes by what the file holds).
    pub fn chosen_use_mode(&self) -> Result<Option<UseMode>> {
        let value: Option<String> = self
            .conn
            .query_row("SELECT value FROM app_setting WHERE key = 'use'", [], |r| {
                r.get(0)
            })
            .optional()?;
        value
            .map(|v| {
                UseMode::from_str(&v)
                    .map_err(|e| StoreError::Damaged(format!("the file's use is {v:?} ({e})")))
            })
            .transpose()
    }

    /// Who this file is for: the person's choice, or else what fits its
    /// content (one patient is someone's own recovery).
    pub fn use_mode(&self) -> Result<UseMode> {
        match self.chosen_use_mode()? {
            Some(mode) => Ok(mode),
            None => {
                // Only the patients: counting every table would read the
                // whole file on each start.
                let patients: i64 =
                    self.conn
                        .query_row("SELECT count(*) FROM patient", [], |r| r.get(0))?;
                Ok(UseMode::fitting(patients.unsigned_abs()))
            }
        }
    }

    /// Records who the file is for; `None` forgets the choice.
    pub fn set_use_mode(&mut self, mode: Option<UseMode>) -> Result<()> {
        self.write(|tx| {
            match mode {
                Some(mode) => tx.execute(
                    "INSERT INTO app_setting (key, value) VALUES ('use', ?1) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![mode.code()],
                )?,
                None => tx.execute("DELETE FROM app_setting WHERE key = 'use'", [])?,
            };
            Ok(())
        })
    }
}

impl Store {
    /// The clinic's FHIR server this file sends to and reads from, once a
    /// person set one in Settings.
    pub fn sync_server(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM app_setting WHERE key = 'sync_server'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets the clinic's FHIR server; `None` turns sync off.
    pub fn set_sync_server(&mut self, url: Option<&str>) -> Result<()> {
        self.write(|tx| {
            match url {
                Some(url) => tx.execute(
                    "INSERT INTO app_setting (key, value) VALUES ('sync_server', ?1) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![url],
                )?,
                None => tx.execute("DELETE FROM app_setting WHERE key = 'sync_server'", [])?,
            };
            Ok(())
        })
    }
}
