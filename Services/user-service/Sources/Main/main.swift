import ServiceHost
import UserService

await ServiceApplication.main(.userService)
