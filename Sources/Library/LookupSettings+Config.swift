import Configuration
import ImageLookup

extension LookupSettings {
    /// Settings from sluice.yaml's `lookup` section; what the section does not say keeps its default.
    public init(_ section: SluiceConfig.LookupSection) {
        self.init()
        minimumSimilarity = section.minSimilarity
        cacheTTL = section.cacheTTLHours * 3600
        noMatchTTL = section.noMatchTTLHours * 3600
        contact = section.contact.isEmpty ? nil : section.contact
        saucenaoEndpoint = section.saucenaoEndpoint
        saucenaoAPIKey = section.saucenaoAPIKey
        saucenaoDBMask = section.saucenaoDBMask
        saucenaoResultCount = section.saucenaoResultCount
        danbooruEndpoint = section.danbooruEndpoint
        danbooruLogin = section.danbooruLogin
        danbooruAPIKey = section.danbooruAPIKey
        iqdbEndpoint = section.iqdbEndpoint
        gelbooruEndpoint = section.gelbooruEndpoint
        gelbooruAPIKey = section.gelbooruAPIKey
        gelbooruUserID = section.gelbooruUserID
    }
}
