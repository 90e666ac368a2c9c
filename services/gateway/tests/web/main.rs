//! The gateway with everything real behind it: core-records, PostgreSQL, Redis and the
//! development OpenID provider, driven over HTTP the way a browser would; one module per
//! part of the site.

mod access;
mod agenda;
mod connections;
mod dashboard;
mod deadlines;
mod duplicates;
mod exports;
mod forms;
mod front_door;
mod helpers;
mod imports;
mod languages;
mod links;
mod lists;
mod login;
mod login_defects;
mod members;
mod network;
mod partnerships;
mod platform;
mod privacy;
mod projects;
mod rate_limits;
mod records;
mod search;
mod self_service;
mod settings;
mod sign_in;
mod stale_forms;
mod targets;
mod timeline;
