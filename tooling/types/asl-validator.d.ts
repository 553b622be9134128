// asl-validator 4 ships JavaScript only; this covers the one call the static checks make.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: { 'Error code'?: string; Message?: string; [key: string]: unknown }[];
  }
  interface ValidationOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  export default function aslValidator(definition: object, options?: ValidationOptions): ValidationResult;
}
