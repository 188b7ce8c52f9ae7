import Contracts
import Hummingbird
import HummingbirdTesting
import ServiceHTTP
import Testing

/// Admins and scoped services see every course of their tenant, instructors the courses they
/// teach, learners their own records.
@Suite("Course access")
struct CourseAccessTests {
    /// `teacher` teaches `safety` at acme.
    let access = CourseAccess { userId, course in
        userId == "teacher" && course == CourseKey(tenantId: "acme", courseId: "safety")
    }
    let safety = CourseKey(tenantId: "acme", courseId: "safety")
    let fire = CourseKey(tenantId: "acme", courseId: "fire")

    func identity(_ userId: String, _ roles: Set<Role>, scopes: Set<Scope> = [], tenant: String = "acme") -> Identity {
        Identity(userId: userId, tenantId: tenant, roles: roles, scopes: scopes)
    }

    @Test func adminsAndScopedServicesSeeEveryCourseOfTheirTenant() async throws {
        let admin = identity("boss", [.admin])
        let service = identity("sync", [.service], scopes: [.enrollmentsRead])
        #expect(try await access.mayAccess(fire, identity: admin, serviceScope: nil))
        #expect(try await access.mayAccess(fire, identity: service, serviceScope: .enrollmentsRead))
        #expect(try await !access.mayAccess(fire, identity: service, serviceScope: .enrollmentsWrite))
        #expect(try await !access.mayAccess(fire, identity: service, serviceScope: nil), "no scope for the route keeps services out")
        #expect(try await !access.mayAccess(CourseKey(tenantId: "globex", courseId: "fire"), identity: admin, serviceScope: nil))
        #expect(access.seesEveryCourse(admin, serviceScope: nil))
        #expect(!access.seesEveryCourse(identity("sync", [.service]), serviceScope: .enrollmentsRead), "the scope is required")
        #expect(!access.seesEveryCourse(identity("u", [.learner], scopes: [.enrollmentsRead]), serviceScope: .enrollmentsRead))
    }

    @Test func instructorsSeeTheCoursesTheyTeachAndLearnersThemselves() async throws {
        let teacher = identity("teacher", [.instructor])
        let learner = identity("ann", [.learner])
        #expect(try await access.mayAccess(safety, identity: teacher, serviceScope: nil))
        #expect(try await !access.mayAccess(fire, identity: teacher, serviceScope: nil))
        #expect(try await !access.mayAccess(safety, identity: identity("teacher", [.learner]), serviceScope: nil), "teaching needs the role")
        #expect(try await !access.mayAccess(safety, identity: learner, serviceScope: nil))
        #expect(try await access.maySee(learner: "ann", in: fire, identity: learner, serviceScope: nil))
        #expect(try await !access.maySee(learner: "bob", in: fire, identity: learner, serviceScope: nil))
        #expect(try await access.maySee(learner: "bob", in: safety, identity: teacher, serviceScope: nil))
        #expect(try await !access.maySee(learner: "bob", in: fire, identity: teacher, serviceScope: nil))
        #expect(try await !access.maySee(learner: "ann", in: CourseKey(tenantId: "globex", courseId: "fire"), identity: learner, serviceScope: nil))
    }

    @Test func requireCourseAnswersForbiddenOrTheCaller() async throws {
        let app = try TestApp()
        let router = app.router()
        let access = access
        router.get("/v1/access/:course/managed") { _, context -> String in
            let course = try context.parameters.require("course")
            return try await access.requireCourse(course, context, serviceScope: .enrollmentsWrite, forbidden: "Not your course.").userId
        }
        router.get("/v1/access/:course/report") { _, context -> String in
            let course = try context.parameters.require("course")
            return try await access.requireCourse(course, context, serviceScope: nil, forbidden: "Not your course.").userId
        }
        @Sendable func token(_ subject: String, _ roles: [Role], scopes: [Scope] = []) -> String {
            JWTVerification.mintHS256(subject: subject, tenant: "acme", roles: roles, scopes: scopes, secret: TestKeys.secret)
        }
        try await Application(router: router).test(.router) { client in
            #expect(try await client.send("/v1/access/fire/managed", token: token("boss", [.admin])).status == .ok)
            #expect(try await client.send("/v1/access/safety/managed", token: token("teacher", [.instructor])).status == .ok)
            let notTaught = try await client.send("/v1/access/fire/managed", token: token("teacher", [.instructor]))
            #expect(notTaught.status == .forbidden)
            #expect(try notTaught.problem().detail == "Not your course.")
            let service = token("sync", [.service], scopes: [.enrollmentsWrite])
            #expect(try await client.send("/v1/access/fire/managed", token: service).status == .ok)
            #expect(try await client.send("/v1/access/fire/report", token: service).status == .forbidden)
            #expect(try await client.send("/v1/access/fire/managed", token: token("ann", [.learner])).status == .forbidden)
            #expect(try await client.send("/v1/access/fire/managed").status == .unauthorized)
        }
    }
}
