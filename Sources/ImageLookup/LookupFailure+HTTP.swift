import HTTPClient

extension LookupFailure {
    /// A transfer that got no answer from `service`, or `CancellationError` passed through unchanged.
    static func transport(_ error: any Error, service: Service) -> any Error {
        guard let error = error as? HTTPClientError else { return error }
        return LookupFailure(
            service: service, message: error.description, isTransient: error.isTransient, isUnreachable: error.isTransient)
    }

    /// An HTTP status nobody expected: 5xx and 429 may pass, anything else will not.
    static func status(_ response: HTTPResponse, service: Service, what: String) -> LookupFailure {
        let excerpt = HTMLText.plainText(String(response.text.prefix(300))).prefix(120)
        let transient = response.status >= 500 || response.status == 429 || response.status == 408
        let advice = transient ? "the service is busy or down; try again later" : "see the service's message"
        return LookupFailure(
            service: service, message: "\(what): HTTP \(response.status) after \(response.attempts) attempt(s) (\(excerpt)); \(advice)",
            isTransient: transient)
    }
}
