import EnrollmentService
import ServiceHost

await ServiceApplication.main(.enrollmentService)
