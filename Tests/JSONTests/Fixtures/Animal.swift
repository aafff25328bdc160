/// A class whose subclass encodes its superclass through `superEncoder()`.
class Animal: Codable {
    var name: String
    init(name: String) { self.name = name }
}
