import RulesWorker
import ServiceHTTP

await ServiceApplication.main(.rulesWorker)
