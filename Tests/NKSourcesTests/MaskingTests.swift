@testable import NKSources
import Testing

@Suite struct MaskingTests {
    @Test func passwordsAreMaskedInAnyCaseAndAfterAnyText() {
        #expect(Databases.masked("attach \"host=db PassWord=s3cret user=ann\" as pg") == "attach \"host=db PassWord=*** user=ann\" as pg")
        // letters whose lower case is longer do not shift what is masked
        #expect(Databases.masked("-- İİİ\nattach \"postgresql:///crm?password=s3cret&user=ann\" as pg")
            == "-- İİİ\nattach \"postgresql:///crm?password=***&user=ann\" as pg")
        #expect(Databases.masked("postgresql://ann:s3cret@db/crm", keepingWidth: true) == "postgresql://ann:******@db/crm")
        #expect(Databases.masked("load \"passwords.csv\"") == "load \"passwords.csv\"")
    }
}
