//! Before a workspace's issuer is saved: it must be a provider this gateway may call —
//! on `https://`, at public addresses (not this machine, not the operator's private
//! network, not a cloud's metadata service: a workspace owner must not make the gateway
//! call inside) — and its discovery document must name it and list endpoints of the same
//! kind. Development and tests allow `http://` and this machine.
//!
//! The address is checked when the settings are saved; a provider that later moves its
//! name to a private address (DNS rebinding) is not caught at each sign-in.

use std::net::IpAddr;

use crate::login::{discover, http_client};

/// Why an issuer cannot be used, in the owner's words.
pub type Refusal = String;

/// The issuer's metadata, checked.
pub async fn check(issuer: &str, may_be_local: bool) -> Result<(), Refusal> {
    check_address(issuer, may_be_local).await?;
    let http = http_client().map_err(|e| e.to_string())?;
    let metadata = discover(issuer, &http).await.map_err(|reason| {
        format!("le fournisseur ne répond pas comme un fournisseur OpenID Connect ({reason})")
    })?;
    // What the gateway itself calls, at each sign-in.
    let token = metadata.token_endpoint().map(|url| url.url().to_string());
    let keys = metadata.jwks_uri().url().to_string();
    for endpoint in token.iter().chain(std::iter::once(&keys)) {
        check_address(endpoint, may_be_local).await?;
    }
    Ok(())
}

async fn check_address(address: &str, may_be_local: bool) -> Result<(), Refusal> {
    let url =
        url::Url::parse(address).map_err(|_| format!("« {address} » n'est pas une adresse"))?;
    match url.scheme() {
        "https" => {}
        "http" if may_be_local => {}
        _ => return Err(format!("« {address} » doit commencer par https://")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("l'adresse ne doit pas contenir d'identifiants".into());
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("« {address} » ne nomme pas de serveur"))?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<IpAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|_| format!("le serveur « {host} » est introuvable"))?
        .map(|socket| socket.ip())
        .collect();
    if addresses.is_empty() {
        return Err(format!("le serveur « {host} » est introuvable"));
    }
    if !may_be_local && !addresses.iter().all(|ip| is_public(*ip)) {
        return Err(format!(
            "le serveur « {host} » est à une adresse privée ou locale, que Maillage n'appelle pas"
        ));
    }
    Ok(())
}

/// An address on the public internet: not loopback, private, link-local (cloud metadata
/// services), shared (carrier-grade NAT), unspecified, multicast or reserved.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            let ip: IpAddr = private.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]));
            assert!(!is_public(ip), "{private}");
        }
        for public in ["193.51.24.1", "2001:4860:4860::8888"] {
            let ip: IpAddr = public.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]));
            assert!(is_public(ip), "{public}");
        }
    }

    #[tokio::test]
    async fn an_issuer_on_this_machine_or_without_https_is_refused() {
        for (issuer, because) in [
            ("http://login.example.org", "https://"),
            ("https://127.0.0.1:8443", "adresse privée ou locale"),
            ("https://localhost", "adresse privée ou locale"),
            ("https://user:pw@login.example.org", "identifiants"),
            ("pas une adresse", "n'est pas une adresse"),
        ] {
            let refusal = check(issuer, false).await.err().unwrap_or_default();
            assert!(refusal.contains(because), "{issuer}: {refusal}");
        }
    }
}
