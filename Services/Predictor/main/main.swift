import Predictor
import ServiceKit

await ServiceMain.run(service: PredictorService.name, port: PredictorService.port, settings: PredictorService.settings) { context in
    try await PredictorService.build(context)
}
