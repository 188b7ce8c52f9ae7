import ProgressService
import ServiceHost

await ServiceApplication.main(.progressService)
