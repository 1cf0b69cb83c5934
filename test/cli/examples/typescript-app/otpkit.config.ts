// otpkit.config.ts: the command line works with the app's own otpkit setup, TypeScript as it is.
import { otp } from './src/otp.js';

export default otp;
