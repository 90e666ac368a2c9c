//! core-records over HTTP: the real service on a random port, a fresh database per test,
//! one module per part of the API.

mod access;
mod activities;
mod bad_input;
mod contacts;
mod deadlines;
mod helpers;
mod import_crash;
mod import_history;
mod imports;
mod languages;
mod lists;
mod network;
mod openapi;
mod overload;
mod privacy;
mod projects;
mod records;
mod reminders;
mod search;
mod targets;
