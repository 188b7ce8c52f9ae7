import ReportService
import ServiceHost

await ServiceApplication.main(.reportService)
