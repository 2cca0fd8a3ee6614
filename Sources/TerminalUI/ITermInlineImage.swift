import Foundation

/// iTerm2's inline image escape (OSC 1337 File=…): the whole PNG in base64, sized in pixels.
public enum ITermInlineImage {
    public static func encode(png: [UInt8], width: Int, height: Int) -> String {
        "\u{1B}]1337;File=inline=1;size=\(png.count);width=\(width)px;height=\(height)px;preserveAspectRatio=1:"
            + Data(png).base64EncodedString() + "\u{07}"
    }
}
