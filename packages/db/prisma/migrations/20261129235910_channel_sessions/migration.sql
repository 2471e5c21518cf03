-- CreateTable
CREATE TABLE "ChannelSessionEntry" (
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelSessionEntry_pkey" PRIMARY KEY ("namespace","key")
);
