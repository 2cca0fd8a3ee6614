/// The pure decision for one sidecar write: what the file should hold afterwards, or why nothing changes.
enum SidecarMerge {
    /// What to do with one sidecar.
    enum Decision: Equatable {
        /// Write `bytes`; `isNew` when no sidecar existed under the new name.
        case write(bytes: [UInt8], isNew: Bool)
        /// The sidecar already holds everything and a marker: leave the file byte-for-byte as it is.
        case unchanged
        /// A marker says Sluice processed the image already and the write was not forced.
        case skippedAlreadyProcessed(ProcessedMarker)
    }

    /// Merges `update` into `existing` (the current sidecar, else the legacy one, else nil for none).
    ///
    /// The marker only changes together with real content, so a forced second write with the same
    /// tags leaves the file identical.
    static func decide(
        existing: XMPPacket?, existingIsCurrentName: Bool, update: SidecarUpdate, force: Bool,
        marker: ProcessedMarker, toolkit: String
    ) -> Decision {
        if let existing, let previous = existing.processedMarker, !force { return .skippedAlreadyProcessed(previous) }
        let base = existing ?? XMPPacket.empty(toolkit: toolkit)
        var merged = base
        merged.apply(update)
        if merged == base, base.processedMarker != nil, existingIsCurrentName { return .unchanged }
        merged.setProcessedMarker(marker)
        return .write(bytes: merged.serialized(), isNew: !existingIsCurrentName)
    }
}
