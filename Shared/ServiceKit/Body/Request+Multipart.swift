import HTTPCore

extension Request {
    /// A streaming reader of this request's `multipart/form-data` body: 415 when the
    /// Content-Type is another, 400 without a valid boundary.
    public func multipart(limits: MultipartLimits = MultipartLimits()) throws -> MultipartReader<RequestBody> {
        do {
            let parser = try MultipartParser(contentType: headers["Content-Type"] ?? "", limits: limits)
            return MultipartReader(body: http.body, parser: parser)
        } catch {
            throw error.serviceError
        }
    }
}
