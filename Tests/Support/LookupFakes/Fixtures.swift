import Foundation

/// Answers shaped like the real services' (field names, types and quirks copied from real responses).
public enum Fixtures {
    // MARK: Danbooru

    public static func danbooruPost(id: Int, md5: String = "0123456789abcdef0123456789abcdef", withFileURL: Bool = true) -> String {
        let fileURL = withFileURL ? #","file_url":"https://cdn.donmai.us/original/ab/cd/\#(md5).png""# : ""
        return """
            {"id":\(id),"created_at":"2024-03-01T12:00:00.000-05:00","uploader_id":123456,"score":42,\
            "source":"https://i.pximg.net/img-original/img/2024/03/01/00/00/00/116000000_p0.png","md5":"\(md5)",\
            "last_comment_bumped_at":null,"rating":"s","image_width":2048,"image_height":1536,\
            "tag_string":"1girl hu_tao_(genshin_impact) genshin_impact ningen_mame long_hair smile highres",\
            "fav_count":51,"file_ext":"png","last_noted_at":null,"parent_id":null,"has_children":false,"approver_id":null,\
            "tag_count_general":2,"tag_count_artist":1,"tag_count_character":1,"tag_count_copyright":1,"file_size":3145728,\
            "up_score":42,"down_score":0,"is_pending":false,"is_flagged":false,"is_deleted":false,"tag_count":6,\
            "updated_at":"2024-03-02T00:00:00.000-05:00","is_banned":false,"pixiv_id":116000000,\
            "last_commented_at":null,"has_active_children":false,"bit_flags":0,"tag_count_meta":1,"has_large":true,\
            "has_visible_children":false,"tag_string_general":"1girl long_hair smile",\
            "tag_string_character":"hu_tao_(genshin_impact)","tag_string_copyright":"genshin_impact",\
            "tag_string_artist":"ningen_mame","tag_string_meta":"highres"\(fileURL)}
            """
    }

    public static let danbooruNotFound =
        #"{"success":false,"error":"ActiveRecord::RecordNotFound","message":"That record was not found.","backtrace":[]}"#
    public static let danbooruUnauthorized = #"{"success":false,"error":"SessionLoader::AuthenticationFailure","message":"","backtrace":[]}"#

    // MARK: SauceNAO

    /// A SauceNAO answer; numbers that the real service sends as strings are strings here too.
    public static func saucenao(
        results: String = "[]", status: Int = 0, shortLimit: String = "4", longLimit: String = "100", shortRemaining: Int = 3,
        longRemaining: Int = 99, minimumSimilarity: Double = 45.21, indexAsArray: Bool = false, userIDAsInt: Bool = false
    ) -> String {
        let index = indexAsArray
            ? #"[{"status":0,"parent_id":5,"id":5,"results":8},{"status":0,"parent_id":9,"id":9,"results":8}]"#
            : #"{"5":{"status":0,"parent_id":5,"id":5,"results":8},"9":{"status":0,"parent_id":9,"id":9,"results":8},"25":{"status":\#(status > 0 ? -1 : 0),"parent_id":25,"id":25,"results":8}}"#
        let userID = userIDAsInt ? "12345" : "\"12345\""
        return """
            {"header":{"user_id":\(userID),"account_type":"1","short_limit":"\(shortLimit)","long_limit":"\(longLimit)",\
            "long_remaining":\(longRemaining),"short_remaining":\(shortRemaining),"status":\(status),"results_requested":"8",\
            "index":\(index),"search_depth":"128","minimum_similarity":\(minimumSimilarity),\
            "query_image_display":"\\/userdata\\/temp\\/1a2b3c.png","query_image":"1a2b3c.png","results_returned":3},\
            "results":\(results)}
            """
    }

    public static func saucenaoDanbooruResult(similarity: String, danbooruID: Int, gelbooruID: Int? = 7_654_321) -> String {
        let gelbooru = gelbooruID.map { #","gelbooru_id":\#($0)"# } ?? ""
        return """
            {"header":{"similarity":"\(similarity)","thumbnail":"https:\\/\\/img3.saucenao.com\\/booru\\/5\\/a\\/5a8b_2.jpg",\
            "index_id":9,"index_name":"Index #9: Danbooru - 5a8b.jpg","dupes":1,"hidden":0},\
            "data":{"ext_urls":["https:\\/\\/danbooru.donmai.us\\/post\\/show\\/\(danbooruID)"],"danbooru_id":\(danbooruID)\(gelbooru),\
            "creator":"ningen mame","material":"genshin impact","characters":"hu tao (genshin impact)",\
            "source":"https:\\/\\/i.pximg.net\\/img-original\\/img\\/2024\\/03\\/01\\/00\\/00\\/00\\/116000000_p0.png"}}
            """
    }

    public static func saucenaoGelbooruResult(similarity: String, gelbooruID: String) -> String {
        """
        {"header":{"similarity":"\(similarity)","thumbnail":"https:\\/\\/img3.saucenao.com\\/booru\\/1\\/2\\/12ab_2.jpg",\
        "index_id":25,"index_name":"Index #25: Gelbooru - 12ab.jpg","dupes":0,"hidden":0},\
        "data":{"ext_urls":["https:\\/\\/gelbooru.com\\/index.php?page=post&s=view&id=\(gelbooruID)"],\
        "gelbooru_id":"\(gelbooruID)","creator":["artist one","artist two"],"material":"original","characters":"",\
        "source":""}}
        """
    }

    /// A Pixiv result without `ext_urls`, as some indexes send.
    public static func saucenaoPixivResultWithoutURLs(similarity: String) -> String {
        """
        {"header":{"similarity":"\(similarity)","thumbnail":"https:\\/\\/img1.saucenao.com\\/res\\/pixiv\\/1.jpg",\
        "index_id":5,"index_name":"Index #5: Pixiv Images - 1.jpg","dupes":0,"hidden":0},\
        "data":{"title":"untitled","pixiv_id":116000000,"member_name":"someone","member_id":1}}
        """
    }

    public static let saucenaoShortLimitHTML =
        "<strong>Search Rate Too High.</strong><br /><br />Your IP/account has exceeded the basic 30 second search rate limit. Please wait a bit before searching again."
    public static let saucenaoDailyLimitHTML =
        "<strong>Daily Search Limit Exceeded.</strong><br /><br />Your IP/account has exceeded the daily search limit of 100 searches. Please try again later or upgrade your account."
    public static let saucenaoInvalidKey = #"{"header":{"status":-1,"message":"Invalid API Key."},"results":null}"#
    public static func saucenaoRejected(status: Int) -> String {
        #"{"header":{"user_id":"12345","account_type":"1","short_limit":"4","long_limit":"100","long_remaining":98,"short_remaining":3,"status":\#(status),"message":"The image appears to be corrupt or an unsupported format."},"results":null}"#
    }

    // MARK: IQDB

    public static func iqdbPage(tables: String) -> String {
        """
        <!DOCTYPE html><html><head><title>Multi-service image search - Search results</title></head><body>
        <div id='pages' class='pages'><div><table><tr><th>Your image</th></tr><tr><td class='image'><img src='/thu/thu_a0666eb9.jpg' alt="[IMG]" width='150' height='112'></td></tr><tr><td><span title='image.png'>image.png</span></td></tr><tr><td>2048×1536</td></tr></table></div>
        \(tables)
        </div><div id='more1'><p>Searched 10,123,456 images in 1.234 seconds.</p></div></body></html>
        """
    }

    public static func iqdbCard(_ heading: String, href: String, size: String, rating: String, similarity: Int) -> String {
        """
        <div><table><tr><th>\(heading)</th></tr><tr><td class='image'><a href="\(href)"><img src='/danbooru/a/b/ab0b.jpg' alt="Rating: s Score: 42 Tags: 1girl" title="Rating: s"></a></td></tr><tr><td><img alt="icon" src="/icon/danbooru.ico" class="service-icon">Danbooru</td></tr><tr><td>\(size) [\(rating)]</td></tr><tr><td>\(similarity)% similarity</td></tr></table></div>
        """
    }

    public static let iqdbNoMatch = iqdbPage(
        tables: """
            <div><table><tr><th>No relevant matches</th></tr></table></div>
            <div><table><tr><th>Possible match</th></tr><tr><td class='image'><a href="//danbooru.donmai.us/posts/1"><img src='/x.jpg'></a></td></tr><tr><td>Danbooru</td></tr><tr><td>640×480 [Safe]</td></tr><tr><td>41% similarity</td></tr></table></div>
            """)

    // MARK: Gelbooru

    public static func gelbooruPosts(id: Int) -> String {
        """
        {"@attributes":{"limit":100,"offset":0,"count":1},"post":[{"id":\(id),"created_at":"Fri Mar 01 12:00:00 -0600 2024",\
        "score":12,"width":2048,"height":1536,"md5":"fedcba9876543210fedcba9876543210","directory":"fe\\/dc",\
        "image":"fedcba9876543210fedcba9876543210.png","rating":"questionable","source":"https:\\/\\/twitter.com\\/someone\\/status\\/1",\
        "change":1709316000,"owner":"danbooru","creator_id":6498,"parent_id":0,"sample":1,"preview_height":188,"preview_width":250,\
        "tags":"1girl artist_one original tom_&amp;_jerry smile o_o &gt;_&lt; d&#039;artagnan","title":"","has_notes":"false",\
        "has_comments":"false","file_url":"https:\\/\\/img3.gelbooru.com\\/images\\/fe\\/dc\\/fedcba9876543210fedcba9876543210.png",\
        "preview_url":"https:\\/\\/img3.gelbooru.com\\/thumbnails\\/fe\\/dc\\/thumbnail_fedcba9876543210fedcba9876543210.jpg",\
        "sample_url":"","sample_height":0,"sample_width":0,"status":"active","post_locked":0,"has_children":"false"}]}
        """
    }

    public static let gelbooruEmpty = #"{"@attributes":{"limit":100,"offset":0,"count":0}}"#

    public static let gelbooruTags = """
        {"@attributes":{"limit":100,"offset":0,"count":7},"tag":[\
        {"id":1,"name":"1girl","count":6000000,"type":0,"ambiguous":0},\
        {"id":2,"name":"artist_one","count":120,"type":1,"ambiguous":0},\
        {"id":3,"name":"original","count":900000,"type":3,"ambiguous":0},\
        {"id":4,"name":"tom_&amp;_jerry","count":50,"type":3,"ambiguous":0},\
        {"id":5,"name":"smile","count":3000000,"type":0,"ambiguous":0},\
        {"id":6,"name":"d&#039;artagnan","count":10,"type":4,"ambiguous":0},\
        {"id":7,"name":"&gt;_&lt;","count":10000,"type":0,"ambiguous":0}]}
        """
}
