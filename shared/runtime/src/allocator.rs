//! The services' memory allocator. With glibc's malloc, memory freed after a burst of
//! requests stays with the process (its per-thread arenas keep it): core-records went
//! from 18 MB idle to 44 MB after 1,000 concurrent clients, and stayed there. jemalloc
//! gives freed pages back to the system a few seconds after they go unused, from a
//! background thread, so an idle service returns close to its idle size.
//!
//! Each service's `main.rs` installs it:
//! `#[global_allocator] static ALLOCATOR: maillage_runtime::Allocator = maillage_runtime::Allocator;`

pub use tikv_jemallocator::Jemalloc as Allocator;

/// Starts jemalloc's background purging: without it, freed pages are returned only as a
/// side effect of later allocations, which an idle service does not make.
pub(crate) fn return_memory_when_idle() {
    if let Err(error) = tikv_jemalloc_ctl::background_thread::write(true) {
        tracing::warn!(%error, "jemalloc background purging not started");
    }
}
