//! Ports for the servers a test starts before it can bind them (a gateway must know its
//! own address to tell the OpenID provider where to come back).

use std::net::TcpListener;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the ports handed out start, and how many there are: below the range Linux
/// hands out for outgoing connections (32768 and up), so that none of the tests' own
/// connections to PostgreSQL, Redis or a server of another test can take a port between
/// the moment it is chosen and the moment its server binds it.
const FIRST: u32 = 20_000;
const COUNT: u32 = 12_000;

/// A port nobody listens on right now, and that this process has not handed out
/// before. Processes running side by side start at different places, at random.
pub fn free_port() -> std::io::Result<u16> {
    static START: OnceLock<u32> = OnceLock::new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let start = *START.get_or_init(|| {
        u32::try_from(uuid::Uuid::new_v4().as_u128() % u128::from(COUNT)).unwrap_or_default()
    });
    for _ in 0..COUNT {
        let offset = (start + NEXT.fetch_add(1, Ordering::Relaxed)) % COUNT;
        let Ok(port) = u16::try_from(FIRST + offset) else {
            continue;
        };
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    // All taken: whatever the system gives.
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::{COUNT, FIRST, free_port};

    #[test]
    fn ports_are_below_the_outgoing_range_and_never_handed_out_twice() -> std::io::Result<()> {
        let ports: Vec<u16> = (0..50).map(|_| free_port()).collect::<Result<_, _>>()?;
        let mut distinct = ports.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ports.len());
        assert!(
            ports
                .iter()
                .all(|p| (FIRST..FIRST + COUNT).contains(&u32::from(*p)))
        );
        Ok(())
    }
}
