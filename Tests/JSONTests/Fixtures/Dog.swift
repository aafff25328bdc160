/// `Animal` with a key of its own, its superclass under `super`.
final class Dog: Animal {
    var breed: String
    init(name: String, breed: String) { self.breed = breed; super.init(name: name) }
    enum CodingKeys: String, CodingKey { case breed }
    required init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        breed = try c.decode(String.self, forKey: .breed)
        try super.init(from: c.superDecoder())
    }
    override func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(breed, forKey: .breed)
        try super.encode(to: c.superEncoder())
    }
}
