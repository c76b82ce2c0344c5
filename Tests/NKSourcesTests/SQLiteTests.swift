import Foundation
import NKEngine
@testable import NKSources
import Testing
