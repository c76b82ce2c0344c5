/// Text made safe for XML content and attribute values (workbooks, charts, reports): the
/// special characters as entities, and the control characters XML 1.0 cannot hold as a space.
public enum XMLText {
    public static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default: if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { out += " " } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
