import ProgressService
import ServiceHTTP

await ServiceApplication.main(.progressService)
