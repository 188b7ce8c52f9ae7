import EnrollmentService
import ServiceHTTP

await ServiceApplication.main(.enrollmentService)
