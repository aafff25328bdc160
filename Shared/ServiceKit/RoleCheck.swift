/// The one role check of every service: `Request.require(roles:challenge:)` uses it for
/// the identity the gateway vouches for, and the gateway for the principals it
/// authenticates itself (admin routes, `ROUTE_ROLES`).
public enum RoleCheck {
    /// Nil when `held` includes one of `required`, or when nothing is required; else the
    /// 403 to answer, naming the roles required.
    public static func refusal(requiring required: [String], held: [String]) -> ServiceError? {
        if required.isEmpty || held.contains(where: required.contains) { return nil }
        return ServiceError.forbidden("requires role: \(required.joined(separator: " or "))")
    }
}
