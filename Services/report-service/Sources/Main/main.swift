import ReportService
import ServiceHTTP

await ServiceApplication.main(.reportService)
