import Analysis
import Events
import Testing

@Suite("Spelled-out emails and URL forms")
struct WebAddressTests {
    @Test(arguments: [
        ("mail me at priya dot s at gmail dot com thanks", ["priya.s@gmail.com"]),
        ("send it to orders (at) spicebox [dot] in.", ["orders@spicebox.in"]),
        ("contact rahul_k at yahoo dot co dot in", ["rahul_k@yahoo.co.in"]),
        ("reach sales at my shop dot com", []),
        ("I will be at home dot", []),
        ("ops@[10.0.0.7] works", ["ops@[10.0.0.7]"]),
        ("x..y@mail.com or .lead@mail.com", []),
    ])
    func emails(_ text: String, _ expected: [String]) {
        #expect(Fixture.entities(text).emails == expected, "\(text)")
    }

    @Test(arguments: [
        ("files on ftp://files.myshop.in/catalog", ["ftp://files.myshop.in/catalog"]),
        ("NEW:https://shop.co/sale", ["https://shop.co/sale"]),
        ("see 3rd.http://deals.store/x", ["http://deals.store/x"]),
        ("admin at http://10.1.2.3:8080/panel", ["http://10.1.2.3:8080/panel"]),
        ("our site mystore.com.au/home", ["mystore.com.au/home"]),
        ("shop.kolkata.sweets.in", ["shop.kolkata.sweets.in"]),
        ("https://menu.qqq?x=1 is not real", []),
        ("http://2024 is not a url", []),
        ("going..now", []),
        ("dns 1.1.1.1", []),
    ])
    func urls(_ text: String, _ expected: [String]) {
        #expect(Fixture.entities(text).urls == expected, "\(text)")
    }
}
