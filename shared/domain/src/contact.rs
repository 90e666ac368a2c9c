//! Contact details shared by people and organisations: several emails and phones, one
//! of each primary, and a postal address. core-records checks and stores them; the
//! gateway shows them and fills its forms with them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailEntry {
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub address: String,
    /// "pro", "perso"…
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub label: String,
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhoneEntry {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = "^[\\s]*[0-9 +().-]*[0-9 +().-][0-9 +().-]*[\\s]*$"
        )
    )]
    pub number: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub label: String,
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Address {
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub street: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub postal_code: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. FR: sent as that code, or as the country's French or
    /// English name ("France", "Royaume-Uni"); always stored and answered as the code.
    #[cfg_attr(feature = "openapi", schema(max_length = 100, example = "FR"))]
    pub country: String,
}
