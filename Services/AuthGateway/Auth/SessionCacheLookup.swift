/// What the `Authenticator`'s session cache says about a session id.
enum SessionCacheLookup {
    /// Live and recently confirmed.
    case fresh(Principal)
    /// Past its end (dropped from the cache).
    case expired
    /// Not cached, or cached too long ago: the database must be asked.
    case stale
}
