import Predictor
import ServiceKit

await ServiceMain.run(PredictorService.self)
